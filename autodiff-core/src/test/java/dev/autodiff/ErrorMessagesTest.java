package dev.autodiff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails at once, with a message that names the op and the shapes or values involved. */
class ErrorMessagesTest {

    /** Runs {@code body}, expects {@code type}, and checks that the message contains every fragment. */
    private static <T extends Throwable> void assertFails(Class<T> type, Executable body, String... fragments) {
        T e = assertThrows(type, body);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    "message \"" + e.getMessage() + "\" should contain \"" + f + "\"");
        }
    }

    @Test
    void matmulInnerDimensions() {
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)),
                "matmul: [2, 3] x [4, 5]: inner dimensions 3 and 4 differ");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)),
                "matmul: [3] x [4]: inner dimensions 3 and 4 differ");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3), false, false),
                "matmul: [2, 3] x [2, 3]", "3 and 2 differ");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 4)),
                "matmul", "[2]", "[3]", "cannot be broadcast");
        assertFails(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(Tensor.zeros(2)),
                "matmul: [] x [2]", "scalars");
    }

    @Test
    void broadcastingFailures() {
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)),
                "add: shapes [2, 3] and [4] cannot be broadcast together");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).mul(Tensor.zeros(2, 2)),
                "mul: shapes [3, 2] and [2, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3).broadcastTo(2, 4),
                "broadcastTo", "[3]", "[2, 4]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).broadcastTo(3),
                "broadcastTo: cannot broadcast [2, 3] to [3]");
    }

    @Test
    void reshapeToIncompatibleShape() {
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2),
                "reshape: cannot reshape [2, 3] (6 elements) to [4, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, -1),
                "reshape: cannot reshape [2, 3] (6 elements) to [4, -1]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(-1, -1),
                "reshape", "[-1, -1]");
        assertFails(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3),
                "Tensor.of: 5 values do not fill shape [2, 3] of 6 elements");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "Tensor.zeros", "[2, -1]");
    }

    @Test
    void backwardOnNonScalarWithoutCotangent() {
        Tensor x = Tensor.zeros(2).requiresGrad();
        assertFails(IllegalStateException.class, () -> x.exp().backward(),
                "backward: output of shape [2] is not a scalar");
        assertFails(IllegalArgumentException.class, () -> x.exp().backward(Tensor.zeros(3)),
                "backward: cotangent of shape [3] for an output of shape [2]");
    }

    @Test
    void backwardTwiceThroughAFreedGraph() {
        Tensor x = Tensor.scalar(1f).requiresGrad();
        Tensor y = x.exp().mul(2f);
        y.backward();
        assertFails(IllegalStateException.class, y::backward, "already freed", "mul", "keep");
    }

    @Test
    void backwardOfATensorThatDoesNotRequireGrad() {
        assertFails(IllegalStateException.class, () -> Tensor.scalar(1f).exp().backward(),
                "backward: this tensor does not require a gradient");
        Tensor x = Tensor.scalar(1f).requiresGrad();
        try (var scope = NoGrad.enter()) {
            Tensor y = x.exp();
            assertFails(IllegalStateException.class, y::backward, "does not require a gradient", "noGrad");
        }
    }

    @Test
    void outOfRangeLabels() {
        assertFails(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}),
                "crossEntropy: label 3 at index 1 is out of range for 3 classes");
        assertFails(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), new int[] {-1, 0}),
                "crossEntropy: label -1 at index 0");
        assertFails(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), new int[] {0}),
                "crossEntropy: 1 labels for 2 rows");
        assertFails(IllegalArgumentException.class, () -> Functional.crossEntropy(Tensor.scalar(0f), new int[] {0}),
                "crossEntropy: logits must have a class axis", "got []");
        assertFails(IllegalArgumentException.class, () -> Functional.crossEntropy(Tensor.zeros(2, 3, 4), new int[6]),
                "crossEntropy: 6 labels for 8 positions of logits of shape [2, 3, 4]");
        assertFails(IllegalArgumentException.class, () -> Tensor.oneHot(new int[] {1, 4}, 4),
                "oneHot: label 4 at index 1 is out of range for 4 classes");
    }

    @Test
    void indexingOutOfRange() {
        assertFails(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).indexSelect(0, new int[] {0, 3}),
                "indexSelect: index 3 at position 1 is out of range for axis 0 of shape [3, 2]");
        assertFails(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).indexSelect(-1, new int[] {-1}),
                "indexSelect: index -1 at position 0 is out of range for axis 1");
        assertFails(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).gather(1, Tensor.of(new float[] {0, 2}, 2, 1)),
                "gather: index 2 at flat position 1 is out of range for axis 1 of shape [3, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).gather(1, Tensor.of(new float[] {0.5f}, 1, 1)),
                "gather: value 0.5 at flat position 0", "is not a whole number");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).gather(1, Tensor.zeros(4, 1)),
                "gather: index of shape [4, 1] does not fit a tensor of shape [3, 2] along axis 1");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).gather(0, Tensor.zeros(3)),
                "gather: index of shape [3] does not fit");
        assertFails(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 2).scatterAdd(0, Tensor.zeros(1, 2), Tensor.ones(2, 2)),
                "scatterAdd: source of shape [2, 2] and index of shape [1, 2] differ");
        assertFails(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 2).indexAdd(1, new int[] {0}, Tensor.ones(3, 2)),
                "indexAdd: source of shape [3, 2] does not fit 1 indices along axis 1 of shape [3, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.scalar(1f).indexSelect(0, new int[] {0}),
                "indexSelect: cannot index a scalar");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).slice(0, 1, 5),
                "slice: range [1, 5) is out of bounds for axis 0 of shape [3, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).slice(1, 2, 1),
                "slice: range [2, 1)");
        assertFails(IndexOutOfBoundsException.class, () -> Tensor.zeros(3, 2).get(3, 0),
                "get: index [3, 0] is out of bounds for shape [3, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).get(1), "get: 1 indices", "rank 2");
        assertFails(IllegalStateException.class, () -> Tensor.zeros(2).item(),
                "item: tensor of shape [2] has 2 elements, not 1");
    }

    @Test
    void badAxes() {
        Tensor t = Tensor.zeros(2, 3);
        assertFails(IllegalArgumentException.class, () -> t.sum(2), "sum: axis 2 is out of range for rank 2");
        assertFails(IllegalArgumentException.class, () -> t.mean(-3), "mean: axis -3 is out of range for rank 2");
        assertFails(IllegalArgumentException.class, () -> t.max(new int[] {1, -1}, false), "max: axis 1 is given twice");
        assertFails(IllegalArgumentException.class, () -> t.softmax(2), "softmax: axis 2");
        assertFails(IllegalArgumentException.class, () -> t.transpose(0, 5), "transpose: axis 5");
        assertFails(IllegalArgumentException.class, () -> t.permute(0, 0), "permute: axis 0 appears twice");
        assertFails(IllegalArgumentException.class, () -> t.permute(0), "permute", "[2, 3]");
        assertFails(IllegalArgumentException.class, () -> Tensor.concat(2, t, t), "concat: axis 2");
        assertFails(IllegalArgumentException.class, () -> Tensor.concat(0, t, Tensor.zeros(2, 2)),
                "concat: tensor 1 has shape [2, 2], which does not match [2, 3] outside axis 0");
        assertFails(IllegalArgumentException.class, () -> Tensor.stack(0, t, Tensor.zeros(3, 2)),
                "stack: tensor 1 has shape [3, 2], tensor 0 has [2, 3]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).max(0), "max: axis 0 of shape [0, 3] is empty");
    }

    @Test
    void transformMisuse() {
        assertFails(IllegalArgumentException.class,
                () -> AD.jvp(Tensor::exp, Tensor.zeros(2), Tensor.zeros(3)),
                "jvp: tangent 0 has shape [3] but its primal has shape [2]");
        Function<Tensor, Tensor> nonScalar = Tensor::exp;
        assertFails(IllegalArgumentException.class, () -> AD.grad(nonScalar).apply(Tensor.zeros(2)),
                "grad: the function must return a scalar, got shape [2]");
        assertFails(IllegalArgumentException.class,
                () -> AD.grad(args -> args[0].sum(), 2).apply(Tensor.zeros(2)),
                "grad: argument 2 does not exist");
        assertFails(IllegalArgumentException.class,
                () -> AD.vjp(Tensor::exp, Tensor.zeros(2)).pullback().apply(Tensor.zeros(3)),
                "cotangent of shape [3] for an output of shape [2]");
        assertFails(IllegalArgumentException.class, () -> Functional.mse(Tensor.zeros(2), Tensor.zeros(3)),
                "mse: prediction of shape [2] and target of shape [3] differ");
        assertFails(IllegalArgumentException.class, () -> Functional.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 2), null),
                "linear: input of shape [2, 3] does not fit a weight of shape [4, 2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2).setGrad(Tensor.zeros(3)),
                "setGrad: gradient of shape [3] for a tensor of shape [2]");
    }

    @Test
    void customOpCalledWithTheWrongNumberOfInputs() {
        CustomOp cube = CustomOp.of("cube", 1, in -> in[0].pow(3f),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3f)});
        assertFails(IllegalArgumentException.class, () -> cube.apply(Tensor.ones(2), Tensor.ones(2)),
                "cube: takes 1 input, got 2");
        CustomOp dot = CustomOp.of("dot", 2, in -> in[0].mul(in[1]).sum(),
                (in, out, g) -> new Tensor[] {g.mul(in[1]), g.mul(in[0])});
        assertFails(IllegalArgumentException.class, () -> dot.apply(Tensor.ones(2)), "dot: takes 2 inputs, got 1");
        assertFails(IllegalArgumentException.class, () -> CustomOp.of("none", 0, in -> in[0], (in, out, g) -> in),
                "CustomOp none: takes at least 1 input, got 0");
        CustomOp forgetful = CustomOp.of("forgetful", 2, in -> in[0].mul(in[1]), (in, out, g) -> new Tensor[] {g});
        assertFails(IllegalStateException.class,
                () -> forgetful.apply(Tensor.ones(2).requiresGrad(), Tensor.ones(2)).sum().backward(),
                "forgetful: VJP returned 1 cotangents for 2 inputs");
    }

    @Test
    void customOpRuleOfTheWrongShape() {
        CustomOp bad = CustomOp.of("bad", 1, in -> in[0].sum(), (in, out, g) -> new Tensor[] {g});
        Tensor x = Tensor.zeros(3).requiresGrad();
        assertFails(IllegalStateException.class, () -> bad.apply(x).backward(),
                "bad: VJP rule gave a cotangent of shape [] for input 0 of shape [3]");
    }

    @Test
    void checkFiniteNamesTheForwardOp() {
        Numerics.checkFinite(true);
        try {
            assertTrue(Numerics.isCheckingFinite());
            Tensor x = Tensor.vector(1f, -1f);
            assertFails(ArithmeticException.class, () -> x.log(),
                    "'log' produced NaN at flat index 1 of an output of shape [2] from inputs of shape [2]");
            assertFails(ArithmeticException.class, () -> Tensor.vector(1f, 0f).div(Tensor.scalar(0f)),
                    "'div' produced");
        } finally {
            Numerics.checkFinite(false);
        }
        assertFalse(Numerics.isCheckingFinite());
        assertTrue(Float.isNaN(Tensor.scalar(-1f).log().item()), "off again: NaN passes silently");
    }

    @Test
    void checkFiniteNamesTheBackwardPass() {
        Numerics.checkFinite(true);
        try {
            // sqrt is finite at 0 but its derivative 1/(2·sqrt(x)) is not.
            Tensor x = Tensor.vector(4f, 0f).requiresGrad();
            Tensor loss = x.sqrt().sum();
            assertFails(ArithmeticException.class, loss::backward, "backward pass of 'sqrt'", "Infinity");
            Function<Tensor, Tensor> f = t -> t.sqrt().sum();
            assertFails(ArithmeticException.class, () -> AD.grad(f).apply(Tensor.vector(0f)), "backward pass of 'sqrt'");
            // and under createGraph, where the rule runs as recorded tensor ops
            Tensor y = Tensor.vector(1f, 0f).requiresGrad();
            assertFails(ArithmeticException.class,
                    () -> y.sqrt().sum().backward(Tensor.scalar(1f), false, true), "backward pass of 'sqrt'");
        } finally {
            Numerics.checkFinite(false);
        }
        Tensor x = Tensor.vector(0f).requiresGrad();
        x.sqrt().sum().backward();
        assertEquals(Float.POSITIVE_INFINITY, x.grad().item(), "off again: the infinite gradient passes silently");
    }
}
