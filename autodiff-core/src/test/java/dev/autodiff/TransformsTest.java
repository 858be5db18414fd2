package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The function transforms and their compositions, against closed forms. */
class TransformsTest {

    @Test
    void secondAndThirdDerivativesOfTanh() {
        float x = 0.7f;
        double t = Math.tanh(x);
        Function<Tensor, Tensor> tanh = Tensor::tanh;
        Tensor d2 = AD.grad(AD.grad(tanh)).apply(Tensor.scalar(x));
        assertEquals(-2 * t * (1 - t * t), d2.item(), 1e-5);
        Tensor d3 = AD.grad(AD.grad(AD.grad(tanh))).apply(Tensor.scalar(x));
        assertEquals(-2 * (1 - t * t) * (1 - 3 * t * t), d3.item(), 1e-4);
    }

    @Test
    void hessianOfCubicForm() {
        // f(x) = Σ x_i³ + x0·x1 → H = diag(6x) + [[0,1],[1,0]]
        Function<Tensor, Tensor> f = x -> x.pow(3f).sum().add(x.slice(0, 0, 1).mul(x.slice(0, 1, 2)).sum());
        Tensor h = AD.hessian(f).apply(Tensor.vector(1.5f, -2f));
        assertArrayEquals(new float[] {9f, 1f, 1f, -12f}, h.toArray(), 1e-4f);
    }

    @Test
    void forwardOverForwardAndReverseOverForward() {
        // d²/dx² of sin-free x·exp(x) = (x + 2)·exp(x)
        Function<Tensor, Tensor> f = x -> x.mul(x.exp());
        Function<Tensor, Tensor> df = x -> AD.jvp(f, x, x.onesLike()).tangent();
        float x0 = 0.3f;
        Tensor fwdFwd = AD.jvp(df, Tensor.scalar(x0), Tensor.scalar(1f)).tangent();
        Tensor revFwd = AD.grad(df).apply(Tensor.scalar(x0));
        double expected = (x0 + 2) * Math.exp(x0);
        assertEquals(expected, fwdFwd.item(), 1e-5);
        assertEquals(expected, revFwd.item(), 1e-5);
    }

    @Test
    void nestedJvpDoesNotConfusePerturbations() {
        // d/dx [x · d/dy (x + y)] at y = 1 is 1 (a classic perturbation-confusion test).
        Function<Tensor, Tensor> outer = x -> {
            Function<Tensor, Tensor> inner = y -> x.add(y);
            Tensor dInner = AD.jvp(inner, Tensor.scalar(1f), Tensor.scalar(1f)).tangent();
            return x.mul(dInner);
        };
        assertEquals(1f, AD.jvp(outer, Tensor.scalar(3f), Tensor.scalar(1f)).tangent().item(), 0f);
        assertEquals(1f, AD.grad(outer).apply(Tensor.scalar(3f)).item(), 0f);
    }

    @Test
    void valueAndGradWithSeveralArgumentsAndAux() {
        AD.ValueAndGrad<String> r = AD.valueAndGradWithAux(
                args -> new AD.WithAux<>(args[0].mul(args[1]).sum(), "aux"), 1).apply(
                Tensor.vector(2f, 3f), Tensor.vector(5f, 7f));
        assertEquals(31f, r.value().item());
        assertArrayEquals(new float[] {2f, 3f}, r.grad().toArray());
        assertEquals("aux", r.aux());
        Tensor[] both = AD.grads(args -> args[0].mul(args[1]).sum()).apply(Tensor.vector(2f), Tensor.vector(5f));
        assertEquals(5f, both[0].item());
        assertEquals(2f, both[1].item());
    }

    @Test
    void vjpPullbackCanBeCalledRepeatedly() {
        AD.Vjp v = AD.vjp(x -> x.square(), Tensor.vector(1f, 2f));
        assertArrayEquals(new float[] {2f, 0f}, v.pullback().apply(Tensor.vector(1f, 0f))[0].toArray());
        assertArrayEquals(new float[] {0f, 4f}, v.pullback().apply(Tensor.vector(0f, 1f))[0].toArray());
    }

    @Test
    void gradientOfUnusedArgumentIsZero() {
        Tensor[] g = AD.grads(args -> args[0].sum()).apply(Tensor.vector(1f), Tensor.vector(2f, 3f));
        assertArrayEquals(new float[] {0f, 0f}, g[1].toArray());
    }

    @Test
    void hvpMatchesHessianTimesVector() {
        var rng = new SplittableRandom(2);
        Function<Tensor, Tensor> f = x -> x.tanh().mul(x).sum();
        Tensor x = Tensor.randn(rng, 4);
        Tensor v = Tensor.randn(rng, 4);
        Tensor hv = AD.hvp(f, x, v);
        Tensor h = AD.hessian(f).apply(x);
        assertArrayEquals(h.matmul(v).toArray(), hv.toArray(), 1e-5f);
        Tensor hRev = AD.jacrev(AD.grad(f)).apply(x);
        assertArrayEquals(h.toArray(), hRev.toArray(), 1e-5f);
    }

    @Test
    void longChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1f).requiresGrad();
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.00001f);
        }
        y.backward();
        assertEquals(Math.pow(1.00001f, 100_000), x.grad().item(), 1e-2);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = Tensor.scalar(3f).requiresGrad();
        x.square().backward();
        x.square().backward();
        assertEquals(12f, x.grad().item());
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(2f).backward();
        assertEquals(2f, x.grad().item());
    }

    @Test
    void fanOutSumsGradients() {
        Tensor x = Tensor.scalar(2f).requiresGrad();
        Tensor y = x.mul(x).add(x);
        y.backward();
        assertEquals(5f, x.grad().item());
    }

    @Test
    void noGradRecordsNothingAndDetachCutsTheGraph() {
        Tensor x = Tensor.scalar(2f).requiresGrad();
        try (var scope = NoGrad.enter()) {
            Tensor y = x.mul(3f);
            assertTrue(y.isLeaf());
        }
        Tensor z = x.detach().mul(x);
        z.backward();
        assertEquals(2f, x.grad().item());
        assertEquals(0f, AD.grad(t -> AD.stopGradient(t).mul(2f)).apply(Tensor.scalar(1f)).item());
    }

    @Test
    void graphIsFreedAfterBackwardUnlessKept() {
        Tensor x = Tensor.scalar(2f).requiresGrad();
        Tensor y = x.exp();
        y.backward(Tensor.scalar(1f), true, false);
        y.backward();
        assertEquals(2 * Math.exp(2), x.grad().item(), 1e-4);
    }

    @Test
    void customOpWithoutJvpWorksUnderEveryTransform() {
        CustomOp swish = CustomOp.of("swish", 1,
                in -> in[0].mul(in[0].sigmoid()),
                (in, out, g) -> {
                    Tensor s = in[0].sigmoid();
                    return new Tensor[] {g.mul(s.add(in[0].mul(s).mul(s.neg().add(1f))))};
                });
        Tensor x = Tensor.vector(-1.2f, 0.3f, 2f);
        GradCheck.check(swish::apply, x).assertPassed();
        GradCheck.checkJvpVjp(swish::apply, x).assertPassed();
        Function<Tensor, Tensor> f = t -> swish.apply(t).sum();
        Tensor h = AD.hessian(f).apply(x);
        Tensor expected = AD.hessian(t -> t.silu().sum()).apply(x);
        assertArrayEquals(expected.toArray(), h.toArray(), 1e-5f);
        Tensor y = swish.apply(x);
        assertEquals("swish", swish.name());
        assertSame(null, y.op());
    }
}
