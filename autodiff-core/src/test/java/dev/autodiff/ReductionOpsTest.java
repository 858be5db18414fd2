package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reductions added for issue 8 against hand-worked values and PyTorch 1.13 (float64):
 * the uniform {@code (axis, keepDims)} forms, min, prod and its gradient at zeros, argmax
 * and argmin along any axis, running sums, variance and standard deviation with a
 * correction, vector norms and their gradient at 0, log-sum-exp over several axes, and
 * reductions and softmax over an empty axis.
 */
class ReductionOpsTest {
    /** {@code [[1, 2, 4], [3, 5, 9]]}. */
    private static Tensor m() {
        return Tensor.of(new double[] {1, 2, 4}, new double[] {3, 5, 9});
    }

    @Test
    void everyReductionTakesAnAxisWithKeepDims() {
        Tensor x = m();
        assertArrayEquals(new int[] {2, 1}, x.sum(1, true).shape());
        assertArrayEquals(new float[] {7, 17}, x.sum(1, true).toArray());
        assertArrayEquals(new int[] {1, 3}, x.mean(0, true).shape());
        assertArrayEquals(new float[] {2, 3.5f, 6.5f}, x.mean(0, true).toArray());
        assertArrayEquals(new float[] {4, 9}, x.max(-1, true).toArray());
        assertArrayEquals(new float[] {1, 2, 4}, x.min(0, true).toArray());
        assertArrayEquals(new int[] {1, 3}, x.prod(0, true).shape());
        assertArrayEquals(new int[] {2, 1}, x.var(1, true).shape());
        assertArrayEquals(new int[] {1, 3}, x.std(0, true).shape());
        assertArrayEquals(new int[] {2, 1}, x.norm(2f, 1, true).shape());
        assertArrayEquals(new int[] {1, 1}, x.logSumExp(new int[] {0, 1}, true).shape());
        assertArrayEquals(new int[] {2, 1}, x.argmax(1, true).shape());
        assertArrayEquals(new int[] {3}, x.argmin(0, false).shape());
    }

    @Test
    void minMirrorsMax() {
        Tensor x = Tensor.of(new double[] {3, -1, 2}, new double[] {-1, 5, -1});
        assertEquals(-1f, x.min().item());
        assertArrayEquals(new float[] {-1, -1, -1}, x.min(0).toArray());
        assertArrayEquals(new float[] {-1, -1}, x.min(1).toArray());
        assertTrue(Float.isNaN(Tensor.vector(1, Float.NaN, 0).min().item()));
        // ties share the gradient evenly, as for max
        Tensor t = x.requiresGrad();
        t.min().backward();
        assertArrayEquals(new float[] {0, 1f / 3, 0, 1f / 3, 0, 1f / 3}, t.grad().toArray(), 1e-7f);
    }

    @Test
    void prodAndItsGradientWithZeros() {
        assertArrayEquals(new float[] {8, 135}, m().prod(1).toArray());
        assertEquals(1f, Tensor.zeros(0).prod().item(), "the empty product");
        // rows without a zero, with one and with two: d prod / dx_i is the product of the others
        Tensor x = Tensor.of(new double[] {2, 3, 4}, new double[] {0, 3, 4}, new double[] {0, 3, 0}).requiresGrad();
        x.prod(1).sum().backward();
        assertArrayEquals(new float[] {12, 8, 6, 12, 0, 0, 0, 0, 0}, x.grad().toArray());
        // and forward mode agrees: the tangent of the product along t is Σ_i t_i · (product of the others)
        Tensor tangent = Tensor.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}, new double[] {1, 1, 1});
        Tensor jvp = AD.jvp(t -> t.prod(1), x.detach(), tangent).tangent();
        assertArrayEquals(new float[] {12 + 8 + 6, 12, 0}, jvp.toArray());
    }

    @Test
    void argmaxAndArgminAlongAnyAxis() {
        Tensor x = Tensor.of(new double[] {1, 5, 5}, new double[] {7, 0, 2});
        assertArrayEquals(new float[] {1, 0}, x.argmax(1, false).toArray(), "first index on ties");
        assertArrayEquals(new float[] {1, 0, 0}, x.argmax(0, false).toArray());
        assertArrayEquals(new float[] {0, 1}, x.argmin(-1, false).toArray());
        assertArrayEquals(new float[] {0, 1, 1}, x.argmin(0, true).toArray());
        assertArrayEquals(new int[] {1, 0}, x.argmax());
        assertArrayEquals(new int[] {0, 1}, x.argmin());
        assertArrayEquals(new int[] {0, 1, 1}, x.argmin(0, false).toIntArray());
        // a NaN counts as the extreme for both, as in PyTorch: argmax([1, nan, 3, nan]) = 1 = argmin([1, nan, -3])
        assertEquals(1f, Tensor.vector(1, Float.NaN, 3, Float.NaN).argmax(0, false).item());
        assertEquals(1f, Tensor.vector(1, Float.NaN, -3).argmin(0, false).item());
        // a 3-D tensor along its middle axis
        Tensor cube = Tensor.arange(24).reshape(2, 3, 4).mul(Tensor.vector(1, -1, 1, -1));
        assertArrayEquals(new float[] {2, 0, 2, 0, 2, 0, 2, 0}, cube.argmax(1, false).toArray());
        assertEquals(0f, Tensor.scalar(3f).argmax(0, false).item());
        // the PyTorch idiom for the values at the argmax
        Tensor scores = Tensor.of(new double[] {0.1, 0.7, 0.2}, new double[] {0.5, 0.1, 0.4});
        assertArrayEquals(new float[] {0.7f, 0.5f}, scores.gather(1, scores.argmax(1, true)).toArray());
        assertEquals("argmax: axis 1 of shape [2, 0] is empty",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax(1, false)).getMessage());
    }

    @Test
    void cumsumAlongEachAxis() {
        Tensor x = m();
        assertArrayEquals(new float[] {1, 3, 7, 3, 8, 17}, x.cumsum(1).toArray());
        assertArrayEquals(new float[] {1, 2, 4, 4, 7, 13}, x.cumsum(0).toArray());
        // its gradient sums the cotangent from the end
        Tensor t = x.requiresGrad();
        t.cumsum(1).mul(Tensor.vector(1, 10, 100)).sum().backward();
        assertArrayEquals(new float[] {111, 110, 100, 111, 110, 100}, t.grad().toArray());
    }

    @Test
    void varianceAndDeviationWithACorrection() {
        Tensor x = m();
        // torch: x.var() = 8, x.var(1) = [7/3, 28/3], x.var(0, correction=0) = [1, 2.25, 6.25],
        // var(x, dim=(0, 1), unbiased=False) = 20/3, x.std(1) = [1.527525232, 3.055050463]
        assertEquals(8f, x.var().item(), 1e-6f);
        assertArrayEquals(new float[] {7f / 3, 28f / 3}, x.var(1).toArray(), 1e-6f);
        assertArrayEquals(new float[] {1f, 2.25f, 6.25f}, x.var(new int[] {0}, 0, false).toArray(), 1e-6f);
        assertEquals(20f / 3, x.var(new int[] {0, 1}, 0, false).item(), 1e-6f);
        assertArrayEquals(new float[] {1.527525232f, 3.055050463f}, x.std(1).toArray(), 1e-6f);
        assertEquals((float) Math.sqrt(8), x.std().item(), 1e-6f);
        assertEquals(14f / 3, x.var(new int[] {1}, 2, false).get(0), 1e-6f, "correction 2 divides by N - 2");
        assertTrue(Float.isNaN(Tensor.vector(5f).var().item()), "one sample has no sample variance (0/0), as in PyTorch");
    }

    @Test
    void normsAndTheirGradientAtZeroAsPyTorch() {
        Tensor x = Tensor.vector(3, -4);
        assertEquals(5f, x.norm().item(), 1e-6f);
        assertEquals(7f, x.norm(1f).item());
        assertEquals(4f, x.norm(Float.POSITIVE_INFINITY).item());
        assertEquals(3f, x.norm(Float.NEGATIVE_INFINITY).item());
        assertEquals(2f, Tensor.vector(3, 0, -4).norm(0f).item());
        assertEquals((float) Math.cbrt(91), x.norm(3f).item(), 1e-5f);
        assertArrayEquals(new float[] {5, 1}, Tensor.of(new double[] {3, 1}, new double[] {-4, 0}).norm(2f, 0, false).toArray(),
                1e-6f);
        // d‖x‖/dx = x/‖x‖, and 0 where the norm is 0 (torch.linalg.vector_norm(zeros).backward() gives zeros)
        for (float p : new float[] {2f, 3f, 1f, Float.POSITIVE_INFINITY}) {
            Tensor zero = Tensor.zeros(3).requiresGrad();
            zero.norm(p).backward();
            assertArrayEquals(new float[3], zero.grad().toArray(), 0f, "p = " + p);
        }
        Tensor t = x.requiresGrad();
        t.norm().backward();
        assertArrayEquals(new float[] {0.6f, -0.8f}, t.grad().toArray(), 1e-7f);
        // the same subgradient for std of a constant (torch.std(ones(3)).backward() gives zeros)
        Tensor constant = Tensor.ones(3).requiresGrad();
        constant.std().backward();
        assertArrayEquals(new float[3], constant.grad().toArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> x.norm(0.5f));
    }

    @Test
    void logSumExpOverSeveralAxes() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4).mul(0.3f).sub(3f);
        Tensor lse = x.logSumExp(new int[] {0, 2}, false);
        Tensor direct = x.exp().sum(new int[] {0, 2}, false).log();
        assertArrayEquals(direct.toArray(), lse.toArray(), 1e-5f);
        assertEquals(x.exp().sum().log().item(), x.logSumExp().item(), 1e-5f);
        assertEquals(1000f + (float) Math.log(6), Tensor.full(1000f, 2, 3).logSumExp().item(), 1e-3f, "no overflow");
    }

    /**
     * Over an empty axis, as PyTorch 1.13: log-sum-exp is -Inf (the log of an empty sum), a
     * softmax and a log-softmax are empty, and so are their gradients; the sum is 0, the
     * product 1, the mean and variance NaN. Recorded or not, the same.
     */
    @Test
    void reductionsAndSoftmaxOverAnEmptyAxis() {
        for (boolean recorded : new boolean[] {false, true}) {
            Tensor x = Tensor.zeros(3, 0).requiresGrad(recorded);
            float inf = Float.NEGATIVE_INFINITY;
            assertArrayEquals(new float[] {inf, inf, inf}, x.logSumExp(1).toArray(), 0f);
            assertArrayEquals(new float[] {inf}, Tensor.zeros(0).requiresGrad(recorded).logSumExp().toArray(), 0f);
            assertArrayEquals(new int[] {3, 0}, x.softmax(1).shape());
            assertArrayEquals(new int[] {3, 0}, x.logSoftmax(1).shape());
            assertArrayEquals(new float[] {0, 0, 0}, x.sum(1).toArray(), 0f);
            assertArrayEquals(new float[] {1, 1, 1}, x.prod(1).toArray(), 0f);
            assertTrue(Float.isNaN(x.mean(1).get(0)) && Float.isNaN(x.var(1).get(2)));
        }
        Tensor x = Tensor.zeros(3, 0).requiresGrad();
        x.softmax(1).sum().add(x.logSoftmax(1).sum()).add(x.logSumExp(1).exp().sum()).backward();
        assertArrayEquals(new int[] {3, 0}, x.grad().shape());
        Tensor tangent = AD.jvp((Tensor t) -> t.logSumExp(1).tanh(), Tensor.zeros(3, 0), Tensor.zeros(3, 0)).tangent();
        assertArrayEquals(new float[3], tangent.toArray(), 0f, "the tangent of log Σ over nothing is 0, not 0/0");
        assertThrows(IllegalArgumentException.class, () -> x.max(1), "a maximum over nothing is an error, as in PyTorch");
    }
}
