package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Gradients written straight into a leaf's own array, accumulated and reused after zeroGrad. */
class LeafGradientTest {
    private final SplittableRandom rng = new SplittableRandom(4);
    private final Tensor x = Tensor.randn(rng, 5, 3);
    private final Tensor g = Tensor.randn(rng, 5, 4);

    /** {@code loss = <g, x·Wᵀ>}, whose gradient is {@code gᵀ·x}. */
    private void backwardThroughLinear(Tensor w) {
        x.matmul(w, false, true).mul(g).sum().backward();
    }

    private float[] expected(float times) {
        return g.transpose().matmul(x).mul(times).toArray();
    }

    @Test
    void accumulatesAcrossBackwardPassesAndReusesTheArrayAfterZeroGrad() {
        Tensor w = Tensor.randn(rng, 4, 3).requiresGrad();
        backwardThroughLinear(w);
        assertArrayEquals(expected(1f), w.grad().toArray(), 1e-5f);
        backwardThroughLinear(w);
        assertArrayEquals(expected(2f), w.grad().toArray(), 1e-5f);
        float[] array = w.grad().data();
        w.zeroGrad();
        backwardThroughLinear(w);
        assertArrayEquals(expected(1f), w.grad().toArray(), 1e-5f);
        assertSame(array, w.grad().data(), "the cleared gradient's array is reused");
    }

    @Test
    void weightUsedTwiceSumsBothPaths() {
        Tensor w = Tensor.randn(rng, 4, 3).requiresGrad();
        Tensor y = x.matmul(w, false, true);
        y.mul(g).sum().add(x.matmul(w, false, true).mul(g).sum()).backward();
        assertArrayEquals(expected(2f), w.grad().toArray(), 1e-5f);
    }

    @Test
    void gradientSetByHandIsCopiedBeforeBeingAddedTo() {
        Tensor w = Tensor.randn(rng, 4, 3).requiresGrad();
        Tensor given = Tensor.zeros(4, 3);
        w.setGrad(given);
        backwardThroughLinear(w);
        assertArrayEquals(expected(1f), w.grad().toArray(), 1e-5f);
        assertArrayEquals(new float[12], given.toArray(), "the tensor given to setGrad is not changed");
    }

    @Test
    void createGraphKeepsTheGradientDifferentiable() {
        Tensor w = Tensor.randn(rng, 4, 3).requiresGrad();
        Tensor loss = x.matmul(w, false, true).square().sum();
        loss.backward(Tensor.scalar(1f), false, true);
        // d/dW Σ (x·Wᵀ)² = 2 (x·Wᵀ)ᵀ·x, itself a function of W
        Tensor grad = w.grad();
        assertArrayEquals(x.matmul(w, false, true).transpose().matmul(x).mul(2f).toArray(), grad.toArray(), 1e-4f);
        w.zeroGrad();
        grad.sum().backward();
        Tensor direct = AD.grad(t -> x.matmul(t, false, true).transpose().matmul(x).mul(2f).sum()).apply(w);
        assertArrayEquals(direct.toArray(), w.grad().toArray(), 1e-4f);
    }

    @Test
    void gradientTakenInsideABackwardRuleLeavesTheLeavesAlone() {
        Tensor w = Tensor.randn(rng, 3, 4).requiresGrad();
        // A rule that itself differentiates a function of the parameter w (which the outer loss does not use).
        CustomOp op = CustomOp.of("inner-grad", 1, in -> in[0].mul(2f), (in, out, cot) -> {
            Tensor inner = AD.grad(t -> t.matmul(w).sum()).apply(in[0]);
            return new Tensor[] {cot.mul(2f).add(inner.mul(0f))};
        });
        Tensor v = Tensor.randn(rng, 2, 3).requiresGrad();
        op.apply(v).sum().backward();
        assertArrayEquals(Tensor.full(2f, 2, 3).toArray(), v.grad().toArray());
        assertNull(w.grad(), "the inner gradient's pass wrote nothing into w's gradient");
    }

    @Test
    void twoLeavesNeverShareAGradientArray() {
        Tensor a = Tensor.vector(1f, 2f).requiresGrad();
        Tensor b = Tensor.vector(3f, 4f).requiresGrad();
        a.add(b).sum().backward(); // the rule of add hands one cotangent to both operands
        assertArrayEquals(new float[] {1f, 1f}, a.grad().toArray());
        assertNotSame(a.grad().data(), b.grad().data());
        a.grad().mulInPlace(5f);
        assertArrayEquals(new float[] {1f, 1f}, b.grad().toArray(), "scaling one gradient leaves the other alone");

        Tensor c = Tensor.vector(1f, 1f);
        Tensor d = Tensor.vector(5f, 6f).requiresGrad();
        d.backward(c);
        assertNotSame(c.data(), d.grad().data(), "the caller's cotangent is not the gradient");

        a.zeroGrad();
        b.zeroGrad();
        a.add(b).sum().backward(Tensor.scalar(1f), false, true); // with a graph of the backward pass
        assertNotSame(a.grad().data(), b.grad().data());
        assertArrayEquals(a.grad().toArray(), b.grad().toArray());
    }
}
