package dev.autodiff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second and higher derivatives against closed forms: grad of grad, Hessians of
 * quadratic forms, of logSumExp and of the fused cross-entropy, Jacobians by both
 * modes, and second derivatives through the fused activation backward kernels, by
 * every route (reverse over reverse, forward over reverse, forward over forward, and
 * {@code backward} with {@code createGraph}).
 */
class HigherOrderTest {

    private static final float[] POINTS = {-2.1f, -0.7f, -0.2f, 0.3f, 0.9f, 1.8f};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** An elementwise function with its first and second derivatives in closed form. */
    private record ClosedForm(Function<Tensor, Tensor> f, DoubleUnaryOperator d1, DoubleUnaryOperator d2,
                               float[] points) {}

    private static ClosedForm closedForm(String name) {
        float[] positive = {0.3f, 0.8f, 1.5f, 2.6f};
        return switch (name) {
            case "exp" -> new ClosedForm(Tensor::exp, Math::exp, Math::exp, POINTS);
            case "log" -> new ClosedForm(Tensor::log, x -> 1 / x, x -> -1 / (x * x), positive);
            case "sigmoid" -> new ClosedForm(Tensor::sigmoid, x -> sigmoid(x) * (1 - sigmoid(x)),
                    x -> sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)), POINTS);
            case "tanh" -> new ClosedForm(Tensor::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x),
                    x -> -2 * Math.tanh(x) * (1 - Math.tanh(x) * Math.tanh(x)), POINTS);
            case "relu" -> new ClosedForm(Tensor::relu, x -> x > 0 ? 1 : 0, x -> 0, POINTS);
            case "leakyRelu" -> new ClosedForm(t -> t.leakyRelu(0.1f), x -> x > 0 ? 1 : 0.1, x -> 0, POINTS);
            case "abs" -> new ClosedForm(Tensor::abs, Math::signum, x -> 0, POINTS);
            case "gelu" -> new ClosedForm(Tensor::gelu, x -> normalCdf(x) + x * normalPdf(x),
                    x -> normalPdf(x) * (2 - x * x), POINTS);
            case "silu" -> new ClosedForm(Tensor::silu, x -> sigmoid(x) * (1 + x * (1 - sigmoid(x))),
                    x -> sigmoid(x) * (1 - sigmoid(x)) * (2 + x * (1 - 2 * sigmoid(x))), POINTS);
            case "softplus" -> new ClosedForm(Tensor::softplus, HigherOrderTest::sigmoid,
                    x -> sigmoid(x) * (1 - sigmoid(x)), POINTS);
            case "erf" -> new ClosedForm(Tensor::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x),
                    x -> -4 * x / Math.sqrt(Math.PI) * Math.exp(-x * x), POINTS);
            case "sqrt" -> new ClosedForm(Tensor::sqrt, x -> 0.5 / Math.sqrt(x), x -> -0.25 * Math.pow(x, -1.5),
                    positive);
            case "pow 2" -> new ClosedForm(t -> t.pow(2f), x -> 2 * x, x -> 2, POINTS);
            case "pow 3" -> new ClosedForm(t -> t.pow(3f), x -> 3 * x * x, x -> 6 * x, POINTS);
            case "pow 0.5" -> new ClosedForm(t -> t.pow(0.5f), x -> 0.5 / Math.sqrt(x),
                    x -> -0.25 * Math.pow(x, -1.5), positive);
            case "pow -1" -> new ClosedForm(t -> t.pow(-1f), x -> -1 / (x * x), x -> 2 / (x * x * x), positive);
            case "sin" -> new ClosedForm(Tensor::sin, Math::cos, x -> -Math.sin(x), POINTS);
            case "cos" -> new ClosedForm(Tensor::cos, x -> -Math.sin(x), x -> -Math.cos(x), POINTS);
            case "log1p" -> new ClosedForm(Tensor::log1p, x -> 1 / (1 + x), x -> -1 / ((1 + x) * (1 + x)),
                    new float[] {-0.7f, -0.2f, 0.3f, 0.9f, 1.8f});
            case "expm1" -> new ClosedForm(Tensor::expm1, Math::exp, Math::exp, POINTS);
            case "rsqrt" -> new ClosedForm(Tensor::rsqrt, x -> -0.5 * Math.pow(x, -1.5), x -> 0.75 * Math.pow(x, -2.5),
                    positive);
            case "elu 1.3" -> new ClosedForm(t -> t.elu(1.3f), x -> x > 0 ? 1 : 1.3 * Math.exp(x),
                    x -> x > 0 ? 0 : 1.3 * Math.exp(x), POINTS);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    private static double normalCdf(double x) {
        return 0.5 * (1 + dev.autodiff.kernel.ScalarMath.erf(x / Math.sqrt(2)));
    }

    private static float[] expected(DoubleUnaryOperator f, float[] points) {
        float[] out = new float[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = (float) f.applyAsDouble(points[i]);
        }
        return out;
    }

    static List<String> functions() {
        return List.of("exp", "log", "sigmoid", "tanh", "relu", "leakyRelu", "abs", "gelu", "silu", "softplus", "erf",
                "sqrt", "pow 2", "pow 3", "pow 0.5", "pow -1", "sin", "cos", "log1p", "expm1", "rsqrt", "elu 1.3");
    }

    /** grad of grad by reverse over reverse, elementwise: {@code d/dx Σ f'(x) = f''(x)}. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void secondDerivativeByReverseOverReverse(String name) {
        ClosedForm e = closedForm(name);
        Tensor x = Tensor.vector(e.points());
        Function<Tensor, Tensor> sumF = t -> e.f().apply(t).sum();
        Function<Tensor, Tensor> df = AD.grad(sumF);
        assertArrayEquals(expected(e.d1(), e.points()), df.apply(x).toArray(), 1e-5f, name + "'");
        Tensor d2 = AD.grad(t -> df.apply(t).sum()).apply(x);
        assertArrayEquals(expected(e.d2(), e.points()), d2.toArray(), 1e-4f, name + "''");
    }

    /** The same second derivative through {@code backward(c, keepGraph, createGraph)}, as PyTorch users write it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void secondDerivativeByBackwardWithCreateGraph(String name) {
        ClosedForm e = closedForm(name);
        Tensor x = Tensor.vector(e.points()).requiresGrad();
        Tensor y = e.f().apply(x).sum();
        y.backward(Tensor.scalar(1f), false, true);
        Tensor first = x.grad();
        assertArrayEquals(expected(e.d1(), e.points()), first.toArray(), 1e-5f);
        float[] d2 = expected(e.d2(), e.points());
        if (!first.isRequiringGrad()) {
            // A piecewise-linear function's gradient is a constant mask that records nothing (as
            // in PyTorch, where its second backward fails too); its second derivative is zero.
            assertArrayEquals(new float[d2.length], d2, name);
            return;
        }
        x.zeroGrad();
        first.sum().backward();
        assertArrayEquals(d2, x.grad().toArray(), 1e-4f);
    }

    /** Forward over reverse and forward over forward, elementwise with a tangent of ones. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void secondDerivativeByForwardMode(String name) {
        ClosedForm e = closedForm(name);
        Tensor x = Tensor.vector(e.points());
        Tensor ones = x.onesLike();
        float[] d2 = expected(e.d2(), e.points());
        Function<Tensor, Tensor> df = AD.grad(t -> e.f().apply(t).sum());
        assertArrayEquals(d2, AD.jvp(df, x, ones).tangent().toArray(), 1e-4f, "forward over reverse");
        Function<Tensor, Tensor> dfFwd = t -> AD.jvp(e.f(), t, t.onesLike()).tangent();
        assertArrayEquals(d2, AD.jvp(dfFwd, x, ones).tangent().toArray(), 1e-4f, "forward over forward");
        assertArrayEquals(d2, AD.grad(t -> dfFwd.apply(t).sum()).apply(x).toArray(), 1e-4f, "reverse over forward");
    }

    @Test
    void thirdDerivativeOfExpAndLog() {
        Function<Tensor, Tensor> exp3 = AD.grad(AD.grad(AD.grad(Tensor::exp)));
        assertEquals(Math.exp(0.4), exp3.apply(Tensor.scalar(0.4f)).item(), 1e-5);
        Function<Tensor, Tensor> log3 = AD.grad(AD.grad(AD.grad(Tensor::log)));
        assertEquals(2 / Math.pow(1.5, 3), log3.apply(Tensor.scalar(1.5f)).item(), 1e-5);
    }

    @Test
    void hessianOfQuadraticFormIsAPlusATransposed() {
        var in = new Inputs(5);
        Tensor a = in.normal(4, 4);
        Function<Tensor, Tensor> f = x -> x.matmul(a.matmul(x));
        Tensor expected = a.add(a.transpose());
        Tensor x = in.normal(4);
        assertArrayEquals(expected.toArray(), AD.hessian(f).apply(x).toArray(), 1e-5f);
        assertArrayEquals(expected.toArray(), AD.jacrev(AD.grad(f)).apply(x).toArray(), 1e-5f);
        // and the gradient is (A + Aᵀ)x
        assertArrayEquals(expected.matmul(x).toArray(), AD.grad(f).apply(x).toArray(), 1e-5f);
    }

    /** {@code diag(p) − ppᵀ} for p = softmax(x). */
    private static Tensor softmaxJacobian(Tensor x) {
        Tensor p = x.softmax(0);
        return Tensor.eye(x.size()).mul(p).sub(p.reshape(-1, 1).matmul(p.reshape(1, -1)));
    }

    @Test
    void hessianOfLogSumExpIsDiagPMinusPPTransposed() {
        Tensor x = Tensor.vector(0.3f, -1.2f, 2f, 0.5f, 0f);
        Function<Tensor, Tensor> lse = t -> t.logSumExp(0, false);
        Tensor expected = softmaxJacobian(x);
        assertArrayEquals(x.softmax(0).toArray(), AD.grad(lse).apply(x).toArray(), 1e-6f);
        assertArrayEquals(expected.toArray(), AD.hessian(lse).apply(x).toArray(), 1e-6f);
        assertArrayEquals(expected.toArray(), AD.jacrev(AD.grad(lse)).apply(x).toArray(), 1e-6f);
        // the softmax's own Jacobian is the same matrix
        assertArrayEquals(expected.toArray(), AD.jacfwd((Tensor t) -> t.softmax(0)).apply(x).toArray(), 1e-6f);
    }

    @Test
    void hessianOfFusedCrossEntropyIsBlockDiagonalSoftmaxJacobianOverN() {
        var in = new Inputs(9);
        int n = 3;
        int c = 4;
        Tensor logits = in.normal(n, c);
        int[] labels = {2, 0, 3};
        Function<Tensor, Tensor> ce = t -> Functional.crossEntropy(t, labels);
        float[] expected = new float[n * c * n * c];
        for (int i = 0; i < n; i++) {
            float[] block = softmaxJacobian(logits.sliceRows(i, i + 1).reshape(-1)).div(n).toArray();
            for (int a = 0; a < c; a++) {
                for (int b = 0; b < c; b++) {
                    expected[((i * c + a) * n + i) * c + b] = block[a * c + b];
                }
            }
        }
        Tensor byForwardOverReverse = AD.hessian(ce).apply(logits);
        assertArrayEquals(new int[] {n, c, n, c}, byForwardOverReverse.shape());
        assertArrayEquals(expected, byForwardOverReverse.toArray(), 1e-6f);
        assertArrayEquals(expected, AD.jacrev(AD.grad(ce)).apply(logits).toArray(), 1e-6f);

        // backward with createGraph, then the gradient of one entry of the gradient: a row of the Hessian
        Tensor x = logits.detach().requiresGrad();
        Functional.crossEntropy(x, labels).backward(Tensor.scalar(1f), false, true);
        Tensor g = x.grad();
        x.zeroGrad();
        g.slice(0, 1, 2).slice(1, 2, 3).sum().backward();
        float[] row = java.util.Arrays.copyOfRange(expected, (1 * c + 2) * n * c, (1 * c + 3) * n * c);
        assertArrayEquals(row, x.grad().toArray(), 1e-6f);
    }

    @Test
    void hvpOfCrossEntropyMatchesHessianTimesVector() {
        var in = new Inputs(10);
        Tensor logits = in.normal(2, 3);
        Tensor v = in.normal(2, 3);
        int[] labels = {1, 2};
        Function<Tensor, Tensor> ce = t -> Functional.crossEntropy(t, labels);
        Tensor h = AD.hessian(ce).apply(logits).reshape(6, 6);
        assertArrayEquals(h.matmul(v.reshape(6)).toArray(), AD.hvp(ce, logits, v).toArray(), 1e-6f);
    }

    /** A function with outputs of another shape than its [2, 3] input, and a point to take its Jacobian at. */
    private record MultiOutput(String name, Function<Tensor, Tensor> f, Tensor x) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<MultiOutput> multiOutputFunctions() {
        var in = new Inputs(11);
        Tensor w = in.normal(3, 4);
        Tensor x = in.normal(2, 3);
        return List.of(
                new MultiOutput("tanh(x·W)", t -> t.matmul(w).tanh(), x),
                new MultiOutput("softmax", t -> t.softmax(1), x),
                new MultiOutput("logSoftmax·sigmoid", t -> t.logSoftmax(0).mul(t.sigmoid()), x),
                new MultiOutput("concat of reductions",
                        t -> Tensor.concat(0, t.exp().sum(0), t.max(new int[] {1}, false), t.gelu().mean(0)),
                        in.distinct(2, 3)),
                new MultiOutput("sqrt(xᵀx)", t -> t.transpose().matmul(t).add(5f).sqrt(), x),
                new MultiOutput("silu of gathered rows", t -> t.reshape(3, 2).indexSelect(0, new int[] {2, 0, 2}).silu(), x));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multiOutputFunctions")
    void jacfwdEqualsJacrevForMultiOutputFunctions(MultiOutput m) {
        int[] outShape = m.f().apply(m.x()).shape();
        Tensor fwd = AD.jacfwd(m.f()).apply(m.x());
        Tensor rev = AD.jacrev(m.f()).apply(m.x());
        int[] shape = java.util.Arrays.copyOf(outShape, outShape.length + 2);
        shape[outShape.length] = 2;
        shape[outShape.length + 1] = 3;
        assertArrayEquals(shape, fwd.shape());
        assertArrayEquals(shape, rev.shape());
        assertArrayEquals(rev.toArray(), fwd.toArray(), 1e-5f);
        // and both agree with finite differences of the function
        GradCheck.check(args -> m.f().apply(args[0]), m.x()).assertPassed();
    }

    /** Second order by finite differences: the gradient function itself passes a gradient check. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void gradientFunctionPassesGradCheck(int which) {
        var in = new Inputs(12 + which);
        Tensor w = in.normal(3, 2);
        int[] labels = {1, 0, 1};
        Function<Tensor, Tensor> f = switch (which) {
            case 0 -> x -> x.tanh().mul(x).sum();
            case 1 -> x -> x.logSumExp(1, false).sum();
            case 2 -> x -> x.matmul(w).softplus().sum();
            case 3 -> x -> Functional.crossEntropy(x.matmul(w), labels);
            default -> x -> x.gelu().mul(x.sigmoid()).mean();
        };
        Tensor x = in.normal(3, 3);
        Function<Tensor, Tensor> g = AD.grad(f);
        GradCheck.check(args -> g.apply(args[0]), x).assertPassed();
        GradCheck.checkJvpVjp(args -> g.apply(args[0]), x).assertPassed();
    }

    /** {@code ∂²Πx/∂x_i∂x_j} is the product of the elements other than i and j (0 on the diagonal), zeros or not. */
    @Test
    void hessianOfProdIsExactWithZeros() {
        float[][] points = {{1.5f, -2f, 0.5f, 3f}, {0f, -2f, 0.5f, 3f}, {0f, -2f, 0f, 3f}, {0f, 0f, 0f, 3f}};
        for (float[] p : points) {
            Tensor x = Tensor.vector(p);
            float[] expected = new float[16];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (i != j) {
                        float others = 1;
                        for (int k = 0; k < 4; k++) {
                            others *= k == i || k == j ? 1 : p[k];
                        }
                        expected[i * 4 + j] = others;
                    }
                }
            }
            String at = java.util.Arrays.toString(p);
            assertArrayEquals(expected, AD.hessian(Tensor::prod).apply(x).toArray(), 1e-6f, "forward over reverse at " + at);
            assertArrayEquals(expected, AD.jacrev(AD.grad(Tensor::prod)).apply(x).toArray(), 1e-6f, "reverse over reverse at " + at);
        }
    }

    /** Second order by finite differences for the new reductions and compositions. */
    static List<MultiOutput> secondOrderCompositions() {
        var in = new Inputs(40);
        Tensor mask = Tensor.of(new float[] {1, 0, 1, 1, 0, 0}, 2, 3);
        return List.of(
                new MultiOutput("prod over rows", t -> t.prod(1).sum(), in.normal(2, 3)),
                new MultiOutput("norm 2", t -> t.norm(2f, 1, false).sum(), in.normal(2, 3)),
                new MultiOutput("norm 3", t -> t.norm(3f, 0, false).sum(), in.awayFromZero(2, 3)),
                new MultiOutput("std", t -> t.std(1).sum(), in.normal(2, 3)),
                new MultiOutput("var over both axes", t -> t.var(new int[] {0, 1}, false).mul(t.sum()), in.normal(2, 3)),
                new MultiOutput("logAddExp", t -> t.logAddExp(t.flip(1).mul(0.5f)).sum(), in.normal(2, 3)),
                new MultiOutput("where", t -> Tensor.where(mask, t.sin(), t.square()).sum(), in.normal(2, 3)),
                new MultiOutput("cumsum", t -> t.cumsum(1).square().sum(), in.normal(2, 3)),
                new MultiOutput("gather", t -> t.gather(1, Tensor.of(new float[] {2, 2, 0, 1}, 2, 2)).exp().sum(), in.normal(2, 3)),
                new MultiOutput("logSumExp over both axes", t -> t.logSumExp(new int[] {0, 1}, false), in.normal(2, 3)),
                new MultiOutput("layerNorm", t -> Functional.layerNorm(t, new int[] {3}, null, null, 1e-5f).sin().sum(),
                        in.normal(2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrderCompositions")
    void gradientOfCompositionPassesGradCheck(MultiOutput m) {
        Function<Tensor, Tensor> g = AD.grad(m.f());
        GradCheck.check(args -> g.apply(args[0]), m.x()).assertPassed();
        GradCheck.checkJvpVjp(args -> g.apply(args[0]), m.x()).assertPassed();
        assertArrayEquals(AD.jacrev(g).apply(m.x()).toArray(), AD.hessian(m.f()).apply(m.x()).toArray(), 1e-4f);
    }

    @ParameterizedTest
    @EnumSource(value = dev.autodiff.kernel.Unary.class, names = {"SIGMOID", "TANH", "GELU", "SILU", "SOFTPLUS", "ERF"})
    void forwardOverReverseEqualsReverseOverReverseHessian(dev.autodiff.kernel.Unary op) {
        var in = new Inputs(30 + op.ordinal());
        Tensor w = in.normal(4, 3);
        Function<Tensor, Tensor> act = t -> Elementwise.unary(op, 0f, t);
        // A non-separable function, so the Hessian has off-diagonal entries.
        Function<Tensor, Tensor> f = x -> act.apply(w.matmul(x)).square().sum();
        Tensor x = in.normal(3);
        Tensor fwdRev = AD.hessian(f).apply(x);
        Tensor revRev = AD.jacrev(AD.grad(f)).apply(x);
        assertArrayEquals(revRev.toArray(), fwdRev.toArray(), 1e-4f);
        // symmetric, as a Hessian must be
        assertArrayEquals(fwdRev.transpose().toArray(), fwdRev.toArray(), 1e-4f);
        assertTrue(fwdRev.abs().sum().item() > 1e-2f, "the Hessian must not vanish");
    }
}
