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

    // ----------------------------------------------------------------- several arguments (JAX's argnums)

    private static final Tensor A = Tensor.of(new double[] {1, -2}, new double[] {0.5, 3}, new double[] {-1, 0.25});

    /** {@code sin(x) ⊙ (A·y)} for x [3], y [2]. */
    private static Tensor g(Tensor... a) {
        return a[0].sin().mul(A.matmul(a[1]));
    }

    private static Tensor diag(Tensor v) {
        return Tensor.eye(v.size()).mul(v);
    }

    @Test
    void jacobiansOfSeveralArgumentsGiveOneBlockEach() {
        Tensor x = Tensor.vector(0.3f, -1.1f, 2f);
        Tensor y = Tensor.vector(0.7f, -0.4f);
        Tensor jx = diag(x.cos().mul(A.matmul(y)));   // ∂g/∂x, [3, 3]
        Tensor jy = diag(x.sin()).matmul(A);          // ∂g/∂y, [3, 2]
        AD.Fn fn = TransformsTest::g;
        for (AD.JacobianFn jac : new AD.JacobianFn[] {AD.jacfwd(fn), AD.jacrev(a -> g(a), 0, 1)}) {
            Tensor[] both = jac.apply(x, y);
            assertEquals(2, both.length);
            assertArrayEquals(new int[] {3, 3}, both[0].shape());
            assertArrayEquals(new int[] {3, 2}, both[1].shape());
            assertArrayEquals(jx.toArray(), both[0].toArray(), 1e-6f);
            assertArrayEquals(jy.toArray(), both[1].toArray(), 1e-6f);
        }
        Tensor[] onlyY = AD.jacrev(TransformsTest::g, 1).apply(x, y);
        assertEquals(1, onlyY.length);
        assertArrayEquals(jy.toArray(), onlyY[0].toArray(), 1e-6f);
        Tensor[] reversed = AD.jacfwd(TransformsTest::g, 1, 0).apply(x, y);
        assertArrayEquals(jy.toArray(), reversed[0].toArray(), 1e-6f);
        assertArrayEquals(jx.toArray(), reversed[1].toArray(), 1e-6f);
    }

    @Test
    void jacobianBlocksHaveTheOutputShapeFollowedByTheArgumentShape() {
        AD.Fn f = a -> a[0].matmul(a[1]).tanh();
        Tensor p = new Inputs(6).normal(2, 3);
        Tensor q = new Inputs(7).normal(3, 4);
        Tensor[] fwd = AD.jacfwd(f).apply(p, q);
        Tensor[] rev = AD.jacrev(f).apply(p, q);
        assertArrayEquals(new int[] {2, 4, 2, 3}, fwd[0].shape());
        assertArrayEquals(new int[] {2, 4, 3, 4}, fwd[1].shape());
        assertArrayEquals(rev[0].toArray(), fwd[0].toArray(), 1e-6f);
        assertArrayEquals(rev[1].toArray(), fwd[1].toArray(), 1e-6f);
        // and a single-argument Jacobian is the same block
        assertArrayEquals(AD.jacrev((Tensor t) -> t.matmul(q).tanh()).apply(p).toArray(), rev[0].toArray(), 1e-6f);
    }

    /**
     * With respect to an empty argument the Jacobian is empty, whatever the output: jacrev
     * takes no one-hot cotangents then (65,536 of them, as long as the output, made an identity
     * matrix of 2^32 floats, whose size overflowed).
     */
    @Test
    void jacobiansWithRespectToAnEmptyArgumentAreEmpty() {
        AD.Fn f = a -> Tensor.concat(0, a[0], a[1]);
        Tensor empty = Tensor.zeros(0, 64, 16);
        Tensor large = Tensor.ones(64, 64, 16);
        assertArrayEquals(new int[] {64, 64, 16, 0, 64, 16}, AD.jacrev(f, 0).apply(empty, large)[0].shape());
        assertArrayEquals(new int[] {64, 64, 16, 0, 64, 16}, AD.jacfwd(f, 0).apply(empty, large)[0].shape());
    }

    @Test
    void hessianBlocksOfSeveralArguments() {
        // f(x, y) = Σ sin(x) ⊙ (A·y): H_xx = diag(-sin x ⊙ A·y), H_xy = diag(cos x)·A, H_yx = its transpose, H_yy = 0
        AD.Fn f = a -> g(a).sum();
        Tensor x = Tensor.vector(0.3f, -1.1f, 2f);
        Tensor y = Tensor.vector(0.7f, -0.4f);
        Tensor hxx = diag(x.sin().neg().mul(A.matmul(y)));
        Tensor hxy = diag(x.cos()).matmul(A);
        Tensor[][] h = AD.hessian(f).apply(x, y);
        assertArrayEquals(hxx.toArray(), h[0][0].toArray(), 1e-6f);
        assertArrayEquals(hxy.toArray(), h[0][1].toArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 3}, h[1][0].shape());
        assertArrayEquals(hxy.transpose().toArray(), h[1][0].toArray(), 1e-6f);
        assertArrayEquals(new float[4], h[1][1].toArray(), 1e-6f);
        Tensor[][] onlyX = AD.hessian(f, 0).apply(x, y);
        assertEquals(1, onlyX.length);
        assertArrayEquals(hxx.toArray(), onlyX[0][0].toArray(), 1e-6f);
        // hvp: one forward-over-reverse pass gives Σ_j H[i][j]·v_j for each chosen argument
        Tensor vx = Tensor.vector(1f, -0.5f, 2f);
        Tensor vy = Tensor.vector(0.25f, 1f);
        Tensor[] hv = AD.hvp(f, new Tensor[] {x, y}, new Tensor[] {vx, vy});
        assertArrayEquals(hxx.matmul(vx).add(hxy.matmul(vy)).toArray(), hv[0].toArray(), 1e-6f);
        assertArrayEquals(hxy.transpose().matmul(vx).toArray(), hv[1].toArray(), 1e-6f);
        Tensor[] hvY = AD.hvp(f, new Tensor[] {x, y}, new Tensor[] {vy}, 1);
        assertArrayEquals(new float[2], hvY[0].toArray(), 1e-6f, "H_yy = 0");
    }

    @Test
    void argnumsAreChecked() {
        AD.Fn f = a -> a[0].mul(a[1]).sum();
        Tensor x = Tensor.vector(1f);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AD.jacrev(f, 2).apply(x, x));
        assertEquals("jacrev: argument 2 does not exist; the function got 2", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> AD.hessian(f, 0, 0).apply(x, x));
        assertEquals("hessian: argument 0 is chosen twice in [0, 0]", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AD.hvp(f, new Tensor[] {x, x}, new Tensor[] {x}));
        assertEquals("hvp: 1 tangents for 2 differentiated arguments", e.getMessage());
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
