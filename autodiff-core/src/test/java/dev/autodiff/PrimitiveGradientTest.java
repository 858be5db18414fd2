package dev.autodiff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Every primitive and every composition users call directly, checked two ways on
 * seeded random inputs: the VJP against central finite differences
 * ({@link GradCheck#check}), and the JVP against the VJP through
 * {@code <J t, c> = <t, Jᵀ c>} and against finite differences
 * ({@link GradCheck#checkJvpVjp}). Binary ops run on broadcasting pairs of shapes.
 *
 * <p>All cases use the float32 defaults of {@link GradCheck.Tolerance#FLOAT32} (1e-3
 * relative, 1e-5 of the largest derivative absolute, plus each numeric derivative's own
 * error estimate): Richardson-extrapolated central differences have a truncation error of
 * order {@code h⁴} and a rounding error of about {@code 6e-8·|f|/h}, far below that for the
 * input ranges chosen here, while a wrong rule (a missing factor, a dropped broadcast sum,
 * a transposed operand, or anything 0.5% off: {@link GradCheckTest}) is off by more.
 */
class PrimitiveGradientTest {

    /** A named function of tensors and the inputs to check it at. */
    record Case(String name, AD.Fn f, Tensor... inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The broadcasting pairs of shapes every binary op is checked on. */
    private static final int[][][] BROADCAST_PAIRS = {
        {{3, 4}, {3, 4}},
        {{3, 4}, {4}},
        {{4}, {3, 4}},
        {{3, 1}, {1, 4}},
        {{}, {2, 3}},
        {{2, 3}, {}},
        {{2, 1, 3}, {4, 1}},
    };

    static List<Case> cases() {
        Inputs in = new Inputs(20240601);
        List<Case> cases = new ArrayList<>();
        binaryCases(in, cases);
        unaryCases(in, cases);
        matmulCases(in, cases);
        reductionCases(in, cases);
        movementCases(in, cases);
        compositionCases(in, cases);
        selectionCases(in, cases);
        statisticsCases(in, cases);
        indexingCases(in, cases);
        normalizationCases(in, cases);
        return cases;
    }

    private static String shapes(int[][] pair) {
        return Shapes.str(pair[0]) + "&" + Shapes.str(pair[1]);
    }

    private static void binaryCases(Inputs in, List<Case> cases) {
        for (int[][] p : BROADCAST_PAIRS) {
            String s = shapes(p);
            cases.add(new Case("add " + s, a -> a[0].add(a[1]), in.normal(p[0]), in.normal(p[1])));
            cases.add(new Case("sub " + s, a -> a[0].sub(a[1]), in.normal(p[0]), in.normal(p[1])));
            cases.add(new Case("mul " + s, a -> a[0].mul(a[1]), in.normal(p[0]), in.normal(p[1])));
            cases.add(new Case("div " + s, a -> a[0].div(a[1]), in.normal(p[0]), in.awayFromZero(p[1])));
            // Values on a grid of 0.25 against the grid shifted by 0.125: never closer than 0.125.
            Tensor b = in.distinct(p[1]).add(0.125f).detach();
            cases.add(new Case("maximum " + s, a -> a[0].maximum(a[1]), in.distinct(p[0]), b));
            cases.add(new Case("minimum " + s, a -> a[0].minimum(a[1]), in.distinct(p[0]), b));
        }
        for (int[][] p : BROADCAST_PAIRS) {
            cases.add(new Case("logAddExp " + shapes(p), a -> a[0].logAddExp(a[1]), in.normal(3f, p[0]),
                    in.normal(3f, p[1])));
        }
        cases.add(new Case("add float", a -> a[0].add(2.5f), in.normal(2, 3)));
        cases.add(new Case("div float", a -> a[0].div(-1.5f), in.normal(2, 3)));
    }

    private static void unaryCases(Inputs in, List<Case> cases) {
        int[] shape = {3, 5};
        cases.add(new Case("neg", a -> a[0].neg(), in.normal(shape)));
        cases.add(new Case("exp", a -> a[0].exp(), in.normal(shape)));
        cases.add(new Case("log", a -> a[0].log(), in.uniform(0.3f, 3f, shape)));
        cases.add(new Case("sqrt", a -> a[0].sqrt(), in.uniform(0.3f, 3f, shape)));
        cases.add(new Case("pow 2", a -> a[0].pow(2f), in.normal(shape)));
        cases.add(new Case("pow 3", a -> a[0].pow(3f), in.normal(shape)));
        cases.add(new Case("pow 0.5", a -> a[0].pow(0.5f), in.uniform(0.3f, 3f, shape)));
        cases.add(new Case("pow -1", a -> a[0].pow(-1f), in.uniform(0.5f, 3f, shape)));
        cases.add(new Case("square", a -> a[0].square(), in.normal(shape)));
        cases.add(new Case("abs", a -> a[0].abs(), in.awayFromZero(shape)));
        cases.add(new Case("erf", a -> a[0].erf(), in.normal(shape)));
        cases.add(new Case("relu", a -> a[0].relu(), in.awayFromZero(shape)));
        cases.add(new Case("leakyRelu 0.1", a -> a[0].leakyRelu(0.1f), in.awayFromZero(shape)));
        cases.add(new Case("sigmoid", a -> a[0].sigmoid(), in.normal(2f, shape)));
        cases.add(new Case("tanh", a -> a[0].tanh(), in.normal(2f, shape)));
        cases.add(new Case("gelu", a -> a[0].gelu(), in.normal(2f, shape)));
        cases.add(new Case("softplus", a -> a[0].softplus(), in.normal(2f, shape)));
        cases.add(new Case("silu", a -> a[0].silu(), in.normal(2f, shape)));
        cases.add(new Case("sin", a -> a[0].sin(), in.normal(3f, shape)));
        cases.add(new Case("cos", a -> a[0].cos(), in.normal(3f, shape)));
        cases.add(new Case("log1p", a -> a[0].log1p(), in.uniform(-0.6f, 3f, shape)));
        cases.add(new Case("expm1", a -> a[0].expm1(), in.normal(shape)));
        cases.add(new Case("rsqrt", a -> a[0].rsqrt(), in.uniform(0.3f, 3f, shape)));
        cases.add(new Case("elu", a -> a[0].elu(), in.awayFromZero(shape)));
        cases.add(new Case("elu 0.4", a -> a[0].elu(0.4f), in.awayFromZero(shape)));
        // The limits sit on the 0.25 grid shifted by 0.125, so no value is near them.
        cases.add(new Case("clamp", a -> a[0].clamp(-0.375f, 0.625f), in.distinct(shape)));
    }

    private static void matmulCases(Inputs in, List<Case> cases) {
        cases.add(new Case("matmul 2-D", a -> a[0].matmul(a[1]), in.normal(3, 4), in.normal(4, 5)));
        cases.add(new Case("matmul batched", a -> a[0].matmul(a[1]), in.normal(2, 3, 4), in.normal(2, 4, 5)));
        cases.add(new Case("matmul batch x matrix", a -> a[0].matmul(a[1]), in.normal(2, 3, 4), in.normal(4, 2)));
        cases.add(new Case("matmul matrix x batch", a -> a[0].matmul(a[1]), in.normal(3, 4), in.normal(2, 4, 2)));
        cases.add(new Case("matmul broadcast batch", a -> a[0].matmul(a[1]),
                in.normal(2, 1, 3, 4), in.normal(3, 4, 2)));
        cases.add(new Case("matmul vector x matrix", a -> a[0].matmul(a[1]), in.normal(4), in.normal(4, 3)));
        cases.add(new Case("matmul matrix x vector", a -> a[0].matmul(a[1]), in.normal(3, 4), in.normal(4)));
        cases.add(new Case("matmul vector x vector", a -> a[0].matmul(a[1]), in.normal(4), in.normal(4)));
        cases.add(new Case("matmul vector x batch", a -> a[0].matmul(a[1]), in.normal(4), in.normal(2, 4, 3)));
        cases.add(new Case("matmul batch x vector", a -> a[0].matmul(a[1]), in.normal(2, 3, 4), in.normal(4)));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                String flags = " ta=" + ta + " tb=" + tb;
                Tensor a = ta ? in.normal(4, 3) : in.normal(3, 4);
                Tensor b = tb ? in.normal(5, 4) : in.normal(4, 5);
                cases.add(new Case("matmul" + flags, x -> x[0].matmul(x[1], ta, tb), a, b));
                Tensor batchA = ta ? in.normal(2, 4, 3) : in.normal(2, 3, 4);
                Tensor batchB = tb ? in.normal(2, 5, 4) : in.normal(2, 4, 5);
                cases.add(new Case("matmul batched" + flags, x -> x[0].matmul(x[1], ta, tb), batchA, batchB));
                cases.add(new Case("matmul batch x matrix" + flags, x -> x[0].matmul(x[1], ta, tb), batchA, b));
                cases.add(new Case("matmul matrix x batch" + flags, x -> x[0].matmul(x[1], ta, tb), a, batchB));
                // One shared element: an outer product, as in a per-example weight gradient.
                cases.add(new Case("matmul outer product" + flags, x -> x[0].matmul(x[1], ta, tb),
                        ta ? in.normal(2, 1, 3) : in.normal(2, 3, 1), tb ? in.normal(2, 4, 1) : in.normal(2, 1, 4)));
            }
        }
    }

    private static void reductionCases(Inputs in, List<Case> cases) {
        int[] shape = {2, 3, 4};
        int[][] axesList = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (int[] axes : axesList) {
            for (boolean keep : new boolean[] {false, true}) {
                String s = java.util.Arrays.toString(axes) + (keep ? " keepDims" : "");
                cases.add(new Case("sum " + s, a -> a[0].sum(axes, keep), in.normal(shape)));
                cases.add(new Case("mean " + s, a -> a[0].mean(axes, keep), in.normal(shape)));
                cases.add(new Case("max " + s, a -> a[0].max(axes, keep), in.distinct(shape)));
                cases.add(new Case("min " + s, a -> a[0].min(axes, keep), in.distinct(shape)));
                cases.add(new Case("prod " + s, a -> a[0].prod(axes, keep), in.awayFromZero(shape)));
                cases.add(new Case("logSumExp " + s, a -> a[0].logSumExp(axes, keep), in.normal(2f, shape)));
                cases.add(new Case("var " + s, a -> a[0].var(axes, keep), in.normal(shape)));
            }
        }
        cases.add(new Case("sum()", a -> a[0].sum(), in.normal(3, 2)));
        cases.add(new Case("mean(1)", a -> a[0].mean(1), in.normal(3, 2)));
        cases.add(new Case("max()", a -> a[0].max(), in.distinct(3, 2)));
        cases.add(new Case("sum of a scalar", a -> a[0].sum(), in.normal()));
        cases.add(new Case("max of a scalar", a -> a[0].max(), in.normal()));
        cases.add(new Case("sum(1, keepDims)", a -> a[0].sum(1, true), in.normal(3, 2)));
        cases.add(new Case("mean(0, keepDims)", a -> a[0].mean(0, true), in.normal(3, 2)));
        cases.add(new Case("min(1)", a -> a[0].min(1), in.distinct(3, 2)));
        cases.add(new Case("prod(0, keepDims)", a -> a[0].prod(0, true), in.normal(3, 2)));
        for (int axis : new int[] {0, 1, 2, -1}) {
            cases.add(new Case("cumsum " + axis, a -> a[0].cumsum(axis), in.normal(2, 3, 4)));
        }
    }

    private static void movementCases(Inputs in, List<Case> cases) {
        cases.add(new Case("reshape", a -> a[0].reshape(4, -1), in.normal(2, 3, 2)));
        cases.add(new Case("flatten", a -> a[0].flatten(), in.normal(2, 3)));
        cases.add(new Case("unsqueeze", a -> a[0].unsqueeze(1), in.normal(2, 3)));
        cases.add(new Case("transpose", a -> a[0].transpose(), in.normal(3, 4)));
        cases.add(new Case("transpose(0, 2)", a -> a[0].transpose(0, 2), in.normal(2, 3, 4)));
        cases.add(new Case("permute", a -> a[0].permute(2, 0, 1), in.normal(2, 3, 4)));
        cases.add(new Case("broadcastTo", a -> a[0].broadcastTo(2, 3, 4), in.normal(3, 1)));
        cases.add(new Case("broadcastTo scalar", a -> a[0].broadcastTo(2, 3), in.normal()));
        cases.add(new Case("slice axis 0", a -> a[0].slice(0, 1, 3), in.normal(4, 3)));
        cases.add(new Case("slice axis 1", a -> a[0].slice(1, 1, 3), in.normal(2, 4, 3)));
        cases.add(new Case("slice last axis", a -> a[0].slice(-1, 0, 2), in.normal(2, 4, 3)));
        cases.add(new Case("sliceRows", a -> a[0].sliceRows(2, 4), in.normal(5, 2)));
        cases.add(new Case("indexSelect with repeats", a -> a[0].indexSelect(0, new int[] {0, 2, 2, 1, 0, 2}),
                in.normal(3, 4)));
        cases.add(new Case("indexSelect of a vector", a -> a[0].indexSelect(0, new int[] {3, 3, 0}), in.normal(4)));
        cases.add(new Case("unsqueeze -1", a -> a[0].unsqueeze(-1), in.normal(2, 3)));
        cases.add(new Case("squeeze", a -> a[0].squeeze(), in.normal(2, 1, 3, 1)));
        cases.add(new Case("squeeze axes", a -> a[0].squeeze(1, 2), in.normal(2, 1, 3, 1)));
        cases.add(new Case("flip last axis", a -> a[0].flip(-1), in.normal(2, 3, 4)));
        cases.add(new Case("flip two axes", a -> a[0].flip(0, 2), in.normal(2, 3, 4)));
        cases.add(new Case("flip all axes", a -> a[0].flip(), in.normal(2, 3)));
        cases.add(new Case("tile", a -> a[0].tile(2, 3), in.normal(2, 3)));
        cases.add(new Case("tile with fewer reps", a -> a[0].tile(2), in.normal(2, 3)));
        cases.add(new Case("tile with more reps", a -> a[0].tile(2, 1, 3), in.normal(3)));
        cases.add(new Case("concat axis 0", a -> Tensor.concat(0, a[0], a[1]), in.normal(2, 3), in.normal(1, 3)));
        cases.add(new Case("concat axis 1", a -> Tensor.concat(1, a[0], a[1], a[2]),
                in.normal(2, 3), in.normal(2, 2), in.normal(2, 1)));
        cases.add(new Case("stack axis 0", a -> Tensor.stack(0, a[0], a[1]), in.normal(2, 3), in.normal(2, 3)));
        cases.add(new Case("stack axis 1", a -> Tensor.stack(1, a[0], a[1], a[2]),
                in.normal(2, 3), in.normal(2, 3), in.normal(2, 3)));
        cases.add(new Case("stack last axis", a -> Tensor.stack(-1, a[0], a[1]), in.normal(3), in.normal(3)));
    }

    private static void compositionCases(Inputs in, List<Case> cases) {
        cases.add(new Case("softmax last axis", a -> a[0].softmax(-1), in.normal(2f, 3, 4)));
        cases.add(new Case("softmax axis 0", a -> a[0].softmax(0), in.normal(2f, 3, 4)));
        cases.add(new Case("logSoftmax last axis", a -> a[0].logSoftmax(1), in.normal(2f, 3, 4)));
        cases.add(new Case("logSoftmax axis 0", a -> a[0].logSoftmax(0), in.normal(2f, 3, 4)));
        cases.add(new Case("logSumExp", a -> a[0].logSumExp(1, false), in.normal(2f, 3, 4)));
        cases.add(new Case("logSumExp keepDims", a -> a[0].logSumExp(0, true), in.normal(2f, 3, 4)));
        cases.add(new Case("mse", a -> Functional.mse(a[0], a[1]), in.normal(3, 4), in.normal(3, 4)));
        int[] labels = in.labels(4, 5);
        cases.add(new Case("crossEntropy", a -> Functional.crossEntropy(a[0], labels), in.normal(2f, 4, 5)));
        cases.add(new Case("linear", a -> Functional.linear(a[0], a[1], a[2]),
                in.normal(3, 4), in.normal(2, 4), in.normal(2)));
        cases.add(new Case("linear without bias", a -> Functional.linear(a[0], a[1], null),
                in.normal(3, 4), in.normal(2, 4)));
        cases.add(new Case("linear of a vector", a -> Functional.linear(a[0], a[1], a[2]),
                in.normal(4), in.normal(2, 4), in.normal(2)));
        cases.add(new Case("linear of a batch of sequences", a -> Functional.linear(a[0], a[1], a[2]),
                in.normal(2, 3, 4), in.normal(2, 4), in.normal(2)));
        cases.add(new Case("linear with a broadcast bias", a -> Functional.linear(a[0], a[1], a[2]),
                in.normal(2, 3, 4), in.normal(2, 4), in.normal(3, 1)));
        // Pre-activations kept at least 0.5 from ReLU's kink: small products, large biases of both signs.
        Tensor bias = Tensor.of(2, -2, 1.5);
        cases.add(new Case("linearRelu", a -> Functional.linearRelu(a[0], a[1], a[2]),
                in.normal(0.2f, 3, 4), in.normal(0.2f, 3, 4), bias));
        cases.add(new Case("linearRelu of a batch of sequences", a -> Functional.linearRelu(a[0], a[1], a[2]),
                in.normal(0.2f, 2, 5, 4), in.normal(0.2f, 3, 4), bias));
        cases.add(new Case("linearRelu of a vector", a -> Functional.linearRelu(a[0], a[1], a[2]),
                in.normal(0.2f, 4), in.normal(0.2f, 3, 4), bias));
        cases.add(new Case("linearRelu without bias", a -> Functional.linearRelu(a[0], a[1], null),
                Tensor.of(new double[] {1, 2, 0.5, -1}, new double[] {0.5, -1, 1, 2}, new double[] {2, 1, -1, 0.5}),
                Tensor.of(new double[] {1, 0, 0, 0}, new double[] {0, -1, 0, 0}, new double[] {0, 0, 0.5, -1})));
        cases.add(new Case("linearRelu with a broadcast bias", a -> Functional.linearRelu(a[0], a[1], a[2]),
                in.normal(0.2f, 3, 4), in.normal(0.2f, 2, 4), Tensor.of(new double[] {2}, new double[] {-2},
                        new double[] {1.5})));
    }

    private static void selectionCases(Inputs in, List<Case> cases) {
        Tensor mask = Tensor.vector(1, 0, 0, 1);
        cases.add(new Case("where", a -> Tensor.where(mask, a[0], a[1]), in.normal(4), in.normal(4)));
        cases.add(new Case("where broadcast", a -> Tensor.where(mask.reshape(4, 1), a[0], a[1]),
                in.normal(3), in.normal(4, 1)));
        cases.add(new Case("where scalar branch", a -> Tensor.where(mask, a[0], a[1]), in.normal(2, 4), in.normal()));
        cases.add(new Case("where constant branch", a -> Tensor.where(mask.reshape(1, 4), -2f, a[0]), in.normal(3, 1)));
        // log is NaN where the mask takes x, and finite where it takes log
        cases.add(new Case("where with a NaN not taken", a -> Tensor.where(mask, a[0], a[0].log()),
                Tensor.vector(-1.5f, 0.7f, 1.2f, -0.4f)));
    }

    private static void statisticsCases(Inputs in, List<Case> cases) {
        int[] shape = {2, 3, 4};
        int[][] axesList = {{}, {0}, {2}, {0, 2}};
        for (int[] axes : axesList) {
            // axis 0 has 2 elements: correction 2 would divide by 0
            for (int correction : axes.length == 1 && axes[0] == 0 ? new int[] {0, 1} : new int[] {0, 1, 2}) {
                String s = java.util.Arrays.toString(axes) + " correction " + correction;
                cases.add(new Case("var " + s, a -> a[0].var(axes, correction, true), in.normal(shape)));
                cases.add(new Case("std " + s, a -> a[0].std(axes, correction, false), in.normal(shape)));
            }
            for (float p : new float[] {1f, 2f, 3f, 1.5f}) {
                cases.add(new Case("norm " + p + " " + java.util.Arrays.toString(axes),
                        a -> a[0].norm(p, axes, false), in.awayFromZero(shape)));
            }
            for (float p : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                // positive and distinct, so that no two |x| tie
                cases.add(new Case("norm " + p + " " + java.util.Arrays.toString(axes),
                        a -> a[0].norm(p, axes, true), in.distinct(shape).add(1.125f).detach()));
            }
        }
        cases.add(new Case("norm()", a -> a[0].norm(), in.normal(3, 2)));
        cases.add(new Case("std(1)", a -> a[0].std(1), in.normal(3, 2)));
        cases.add(new Case("var(0, keepDims)", a -> a[0].var(0, true), in.normal(3, 2)));
        Tensor zeros = Tensor.of(new float[] {0, 1.5f, -2, 0.5f, 0, 0, 3, 1, 0.7f, -1.2f, 2, 0.9f}, 3, 4);
        cases.add(new Case("prod with zeros (none, one, two in a row)", a -> a[0].prod(1), zeros));
        cases.add(new Case("prod with zeros over all", a -> a[0].prod(), Tensor.of(new float[] {1.5f, 0, -2, 0.5f}, 2, 2)));
    }

    private static void indexingCases(Inputs in, List<Case> cases) {
        int[] picks = {2, 0, 2, 1};
        for (int axis : new int[] {0, 1, 2, -1}) {
            cases.add(new Case("indexSelect axis " + axis, a -> a[0].indexSelect(axis, new int[] {2, 0, 1, 1, 2}),
                    in.normal(3, 3, 3)));
        }
        cases.add(new Case("indexAdd axis 1", a -> a[0].indexAdd(1, picks, a[1]), in.normal(2, 3), in.normal(2, 4)));
        Tensor index0 = Tensor.of(new float[] {2, 0, 1, 1, 0, 2}, 2, 3);
        Tensor index1 = Tensor.of(new float[] {1, 1, 0, 3, 2, 0}, 3, 2);
        cases.add(new Case("gather axis 0", a -> a[0].gather(0, index0), in.normal(3, 4)));
        cases.add(new Case("gather axis 1", a -> a[0].gather(1, index1), in.normal(3, 4)));
        cases.add(new Case("gather axis 1 of 3-D", a -> a[0].gather(1, index1.reshape(1, 3, 2)), in.normal(2, 4, 3)));
        cases.add(new Case("scatterAdd axis 0", a -> a[0].scatterAdd(0, index0, a[1]), in.normal(3, 4), in.normal(2, 3)));
        cases.add(new Case("scatterAdd axis 1", a -> a[0].scatterAdd(1, index1, a[1]), in.normal(3, 4), in.normal(3, 2)));
    }

    private static void normalizationCases(Inputs in, List<Case> cases) {
        cases.add(new Case("layerNorm", a -> Functional.layerNorm(a[0], new int[] {3, 4}, a[1], a[2], 1e-5f),
                in.normal(2, 3, 4), in.normal(3, 4), in.normal(3, 4)));
        cases.add(new Case("layerNorm without affine", a -> Functional.layerNorm(a[0], new int[] {4}, null, null, 1e-5f),
                in.normal(3, 4)));
        cases.add(new Case("batchNorm training", a -> Functional.batchNorm(a[0], null, null, a[1], a[2], true, 0.1f, 1e-5f),
                in.normal(4, 3, 2), in.normal(3), in.normal(3)));
        Tensor mean = in.normal(3);
        Tensor var = in.uniform(0.5f, 2f, 3);
        cases.add(new Case("batchNorm evaluation", a -> Functional.batchNorm(a[0], mean, var, a[1], a[2], false, 0.1f, 1e-5f),
                in.normal(4, 3), in.normal(3), in.normal(3)));
        int[] labels = {0, 3, 1, -100, 2, 2};
        cases.add(new Case("crossEntropy of [N, C, L] logits", a -> Functional.crossEntropy(a[0], new int[] {0, 3, 1, 3, 2, 2}),
                in.normal(2f, 2, 4, 3)));
        cases.add(new Case("crossEntropyUnreduced with an ignored label",
                a -> Functional.crossEntropyUnreduced(a[0], labels, -100), in.normal(2f, 2, 4, 3)));
        cases.add(new Case("crossEntropy of [C] logits", a -> Functional.crossEntropy(a[0], new int[] {1}), in.normal(2f, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vjpMatchesFiniteDifferences(Case c) {
        GradCheck.check(c.f(), c.inputs()).assertPassed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jvpAgreesWithVjpAndFiniteDifferences(Case c) {
        GradCheck.checkJvpVjp(c.f(), c.inputs()).assertPassed();
    }
}
