package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Where finite differences cannot look: at ties, {@code maximum}, {@code minimum} and the
 * {@code max} reduction split the gradient evenly between the tied values, in reverse and
 * in forward mode alike.
 */
class TieGradientTest {

    @Test
    void maximumAndMinimumSplitTiesInReverseMode() {
        Tensor a = Tensor.vector(1f, 2f, 3f).requiresGrad();
        Tensor b = Tensor.vector(3f, 2f, 1f).requiresGrad();
        a.maximum(b).mul(Tensor.vector(10f, 20f, 30f)).sum().backward();
        assertArrayEquals(new float[] {0f, 10f, 30f}, a.grad().toArray());
        assertArrayEquals(new float[] {10f, 10f, 0f}, b.grad().toArray());
        a.zeroGrad();
        b.zeroGrad();
        a.minimum(b).mul(Tensor.vector(10f, 20f, 30f)).sum().backward();
        assertArrayEquals(new float[] {10f, 10f, 0f}, a.grad().toArray());
        assertArrayEquals(new float[] {0f, 10f, 30f}, b.grad().toArray());
    }

    @Test
    void maximumSplitsTiesInForwardModeAndAcrossABroadcast() {
        Tensor a = Tensor.vector(1f, 2f, 3f);
        Tensor b = Tensor.scalar(2f);
        // d max(a, b) = [db, (da + db)/2, da] along (da, db) = ([1, 1, 1], 4)
        Tensor t = AD.jvp(args -> args[0].maximum(args[1]), new Tensor[] {a, b},
                new Tensor[] {Tensor.ones(3), Tensor.scalar(4f)}).tangent();
        assertArrayEquals(new float[] {4f, 2.5f, 1f}, t.toArray());
        // the scalar collects its share from every element: 1 + 1/2
        Tensor[] g = AD.grads(args -> args[0].maximum(args[1]).sum()).apply(a, b);
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, g[0].toArray());
        assertArrayEquals(new float[] {1.5f}, g[1].toArray());
    }

    @Test
    void maxReductionSplitsTiesEvenly() {
        Tensor x = Tensor.matrix(new float[][] {{1f, 5f, 5f}, {7f, 7f, 7f}}).requiresGrad();
        x.max(new int[] {1}, false).mul(Tensor.vector(2f, 3f)).sum().backward();
        assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 1f, 1f}, x.grad().toArray());
        Tensor t = AD.jvp(m -> m.max(), x.detach(), Tensor.arange(6).reshape(2, 3)).tangent();
        assertArrayEquals(new float[] {(3f + 4f + 5f) / 3}, t.toArray(), 1e-6f);
    }
}
