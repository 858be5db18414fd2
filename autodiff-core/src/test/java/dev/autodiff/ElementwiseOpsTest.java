package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values of the elementwise functions added for issue 8 against {@link Math} and PyTorch
 * 1.13 (float64), the comparisons as masks, {@code where} and the gradient it keeps
 * finite, and {@code logAddExp} at the infinities.
 */
class ElementwiseOpsTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void unaryFunctionsMatchTheirDefinitions() {
        float[] x = {-3.5f, -1f, -1e-6f, 0f, 2e-7f, 0.5f, 2f, 10f};
        Tensor t = Tensor.vector(x);
        for (int i = 0; i < x.length; i++) {
            assertEquals((float) Math.sin(x[i]), t.sin().get(i), 2e-7f, "sin");
            assertEquals((float) Math.cos(x[i]), t.cos().get(i), 2e-7f, "cos");
            assertEquals((float) Math.expm1(x[i]), t.expm1().get(i), 2e-7f * Math.max(1, Math.abs(Math.expm1(x[i]))), "expm1");
            double elu = x[i] > 0 ? x[i] : 0.7 * Math.expm1(x[i]);
            assertEquals(elu, t.elu(0.7f).get(i), 2e-7 * Math.max(1, Math.abs(elu)), "elu");
        }
        // Near 0 log1p and expm1 keep the digits that log(1 + x) and exp(x) - 1 lose.
        assertEquals(2e-7f, Tensor.scalar(2e-7f).log1p().item(), 1e-13f);
        assertEquals(2e-7f, Tensor.scalar(2e-7f).expm1().item(), 1e-13f);
        assertEquals(2.3841858e-7f, Tensor.scalar(2e-7f).exp().sub(1f).item(), "while exp(x) - 1 is off by 19%");
        assertEquals(Float.NEGATIVE_INFINITY, Tensor.scalar(-1f).log1p().item());
        assertTrue(Float.isNaN(Tensor.scalar(-2f).log1p().item()));
        assertArrayEquals(new float[] {0.5f, 0.25f, INF}, Tensor.vector(4f, 16f, 0f).rsqrt().toArray());
        assertEquals(-1f, Tensor.scalar(Float.NEGATIVE_INFINITY).elu().item());
    }

    @Test
    void eluGradientAtZeroIsAlphaAsInPyTorch() {
        // F.elu([0, -1], 0.7).sum().backward() gives [0.7, 0.257515609]
        Tensor x = Tensor.vector(0f, -1f).requiresGrad();
        x.elu(0.7f).sum().backward();
        assertArrayEquals(new float[] {0.7f, 0.257515609f}, x.grad().toArray(), 1e-7f);
    }

    @Test
    void powerZeroIsOneWithSlopeZeroEvenAtZeroAsInPyTorch() {
        // x.pow(0.0) of [0, 2, NaN, -inf] in PyTorch is [1, 1, 1, 1], and backward of its sum gives [0, 0, 0, 0]
        Tensor x = Tensor.vector(0f, 2f, NAN, Float.NEGATIVE_INFINITY).requiresGrad();
        Tensor y = x.pow(0f);
        assertArrayEquals(new float[] {1, 1, 1, 1}, y.toArray());
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0, 0, 0}, x.grad().toArray());
        // Differentiated again (the gradient built from tensor operations), and in forward mode
        Tensor second = AD.grad(v -> AD.grad(u -> u.pow(0f).sum()).apply(v).sum()).apply(Tensor.vector(0f, 3f));
        assertArrayEquals(new float[] {0, 0}, second.toArray());
        Tensor tangent = AD.jvp(u -> u.pow(0f), Tensor.vector(0f, 3f), Tensor.vector(1f, 1f)).tangent();
        assertArrayEquals(new float[] {0, 0}, tangent.toArray());
    }

    @Test
    void comparisonsAreMasksThatBroadcast() {
        Tensor a = Tensor.vector(1, 2, 3, NAN);
        Tensor b = Tensor.vector(2, 2, 2, NAN);
        assertArrayEquals(new float[] {0, 0, 1, 0}, a.gt(b).toArray());
        assertArrayEquals(new float[] {0, 1, 1, 0}, a.ge(b).toArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, a.lt(b).toArray());
        assertArrayEquals(new float[] {1, 1, 0, 0}, a.le(b).toArray());
        assertArrayEquals(new float[] {0, 1, 0, 0}, a.eq(b).toArray());
        assertArrayEquals(new float[] {1, 0, 1, 1}, a.ne(b).toArray(), "NaN differs from everything");
        assertArrayEquals(new float[] {0, 0, 1, 0}, a.gt(2f).toArray());
        assertArrayEquals(new float[] {0, 1, 1, 0}, a.ge(2f).toArray());
        assertArrayEquals(new float[] {1, 0, 0, 0}, a.lt(2f).toArray());
        assertArrayEquals(new float[] {1, 1, 0, 0}, a.le(2f).toArray());
        assertArrayEquals(new float[] {0, 1, 0, 0}, a.eq(2f).toArray());
        assertArrayEquals(new float[] {1, 0, 1, 1}, a.ne(2f).toArray());
        Tensor column = Tensor.of(new float[] {1, 3}, 2, 1);
        assertArrayEquals(new int[] {2, 3}, column.lt(Tensor.vector(0, 2, 4)).shape());
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1}, column.lt(Tensor.vector(0, 2, 4)).toArray());
        // a mask carries no gradient
        assertTrue(a.requiresGrad().gt(b).isLeaf());
    }

    @Test
    void whereSelectsAndBroadcasts() {
        Tensor condition = Tensor.of(new float[] {1, 0}, 2, 1);
        Tensor out = Tensor.where(condition, Tensor.vector(1, 2, 3), Tensor.scalar(-1f));
        assertArrayEquals(new int[] {2, 3}, out.shape());
        assertArrayEquals(new float[] {1, 2, 3, -1, -1, -1}, out.toArray());
        assertArrayEquals(new float[] {7, 5}, Tensor.where(Tensor.vector(0.5f, 0), 7f, Tensor.vector(4, 5)).toArray(),
                "any nonzero condition is true");
        assertArrayEquals(new float[] {3, 0}, Tensor.where(Tensor.vector(1, 0), Tensor.vector(3, 4), 0f).toArray());
        assertEquals("where: condition [2], a [3] and b [] cannot be broadcast together", assertThrows(
                IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(3), 0f)).getMessage());
    }

    @Test
    void whereGivesTheBranchNotTakenAZeroCotangent() {
        // log x where x > 0, else 0: the NaN of log(-1) stays out of the value and the gradient
        Tensor x = Tensor.vector(-1f, 2f, 4f).requiresGrad();
        Tensor y = Tensor.where(x.gt(0f), x.log(), 0f);
        assertArrayEquals(new float[] {0, (float) Math.log(2), (float) Math.log(4)}, y.toArray(), 1e-7f);
        y.sum().backward();
        assertArrayEquals(new float[] {0, 0.5f, 0.25f}, x.grad().toArray(), 0f);
        // each branch gets the cotangent summed back over its broadcast axes
        Tensor a = Tensor.scalar(2f).requiresGrad();
        Tensor b = Tensor.vector(1, 1, 1).requiresGrad();
        Tensor.where(Tensor.vector(1, 0, 1), a, b).mul(Tensor.vector(1, 10, 100)).sum().backward();
        assertEquals(101f, a.grad().item());
        assertArrayEquals(new float[] {0, 10, 0}, b.grad().toArray());
    }

    @Test
    void anInfiniteDerivativeInTheBranchNotTakenNeedsASafeInput() {
        // At 0 the zero cotangent meets log's infinite derivative, 0·∞ = NaN, as in PyTorch and JAX.
        Tensor x = Tensor.vector(0f, 2f).requiresGrad();
        Tensor.where(x.gt(0f), x.log(), 0f).sum().backward();
        assertTrue(Float.isNaN(x.grad().get(0)));
        // The remedy, as there: a second where keeps the input of log away from 0.
        x.zeroGrad();
        Tensor positive = x.gt(0f);
        Tensor.where(positive, Tensor.where(positive, x, 1f).log(), 0f).sum().backward();
        assertArrayEquals(new float[] {0, 0.5f}, x.grad().toArray(), 0f);
    }

    @Test
    void logAddExpMatchesPyTorchAtTheExtremes() {
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor a = Tensor.vector(0f, 1000f, ninf, ninf, INF, 3f, 1e-3f).requiresGrad();
        Tensor b = Tensor.vector(0f, 999f, ninf, 2f, INF, -1e4f, 0f).requiresGrad();
        Tensor y = a.logAddExp(b);
        // torch.logaddexp(a, b)
        assertArrayEquals(new float[] {0.6931471806f, 1000.313262f, ninf, 2f, INF, 3f, 0.6936473056f}, y.toArray(), 1e-6f);
        y.sum().backward();
        // PyTorch's gradients, except where both are the same infinity: NaN there, 1/2 each here
        assertArrayEquals(new float[] {0.5f, 0.731058579f, 0.5f, 0f, 0.5f, 1f, 0.50025f}, a.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.268941421f, 0.5f, 1f, 0.5f, 0f, 0.49975f}, b.grad().toArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 3}, Tensor.zeros(2, 1).logAddExp(Tensor.zeros(3)).shape());
    }
}
