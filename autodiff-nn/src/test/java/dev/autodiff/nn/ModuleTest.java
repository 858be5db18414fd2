package dev.autodiff.nn;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, state dicts, modes and the text form of modules, against PyTorch's conventions. */
class ModuleTest {

    static Sequential mlp(long seed) {
        var rng = new SplittableRandom(seed);
        return new Sequential(new Linear(4, 8, rng), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, rng));
    }

    @Test
    void stateDictHasPyTorchNamesInPyTorchOrder() {
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(mlp(1).stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                List.copyOf(mlp(1).namedParameters().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(mlp(1).namedBuffers().keySet()));
        assertArrayEquals(new int[] {8, 4}, mlp(1).stateDict().get("0.weight").shape());
    }

    @Test
    void parametersRequireGradAndAreCounted() {
        Sequential m = mlp(1);
        assertEquals(4 * 8 + 8 + 8 + 8 + 8 * 3 + 3, m.parameterCount());
        assertEquals(6, m.parameters().size());
        assertTrue(m.parameters().stream().allMatch(p -> p.isRequiringGrad() && p.isLeaf()));
        assertFalse(m.namedBuffers().get("1.running_mean").isRequiringGrad());
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(3, 3, new SplittableRandom(2));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(2, m.parameters().size());
        assertEquals(12, m.parameterCount());
    }

    @Test
    void toStringMatchesPyTorch() {
        var rng = new SplittableRandom(3);
        Module m = new Sequential(new Linear(4, 8, rng), new BatchNorm1d(8), new ReLU(), new Dropout(0.25f, rng),
                new Sequential(new LayerNorm(8), new GELU(), new LeakyReLU()), new Linear(8, 3, false, rng),
                new LogSoftmax(1), new Flatten(), new Softmax(-1), new SiLU(), new Tanh(), new Sigmoid(),
                new LayerNorm(2, 3));
        // Printed by torch 1.13 for the same architecture.
        String expected = """
                Sequential(
                  (0): Linear(in_features=4, out_features=8, bias=True)
                  (1): BatchNorm1d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (2): ReLU()
                  (3): Dropout(p=0.25, inplace=False)
                  (4): Sequential(
                    (0): LayerNorm((8,), eps=1e-05, elementwise_affine=True)
                    (1): GELU(approximate='none')
                    (2): LeakyReLU(negative_slope=0.01)
                  )
                  (5): Linear(in_features=8, out_features=3, bias=False)
                  (6): LogSoftmax(dim=1)
                  (7): Flatten(start_dim=1, end_dim=-1)
                  (8): Softmax(dim=-1)
                  (9): SiLU()
                  (10): Tanh()
                  (11): Sigmoid()
                  (12): LayerNorm((2, 3), eps=1e-05, elementwise_affine=True)
                )""";
        assertEquals(expected, m.toString());
    }

    @Test
    void stateDictRoundTripCopiesInPlace() {
        Sequential a = mlp(1);
        a.forward(Tensor.randn(new SplittableRandom(9), 6, 4)); // moves the running statistics
        Sequential b = mlp(2);
        Tensor weightBefore = b.namedParameters().get("0.weight");
        Tensor x = Tensor.randn(new SplittableRandom(5), 3, 4);
        a.eval();
        b.eval();
        assertNotEquals(a.forward(x).get(0, 0), b.forward(x).get(0, 0));
        b.loadStateDict(a.stateDict(), true);
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
        assertSame(weightBefore, b.namedParameters().get("0.weight"));
        assertEquals(1f, b.namedBuffers().get("1.num_batches_tracked").item());
    }

    @Test
    void stateDictSharesValuesLikePyTorch() {
        Sequential m = mlp(1);
        Tensor w = m.stateDict().get("0.weight");
        m.namedParameters().get("0.weight").writeInPlace(values -> values[0] = 42f);
        assertEquals(42f, w.values().get(0));
        assertFalse(w.isRequiringGrad());
    }

    @Test
    void strictLoadReportsEveryProblemByName() {
        Sequential m = mlp(1);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(2).stateDict());
        state.remove("1.running_var");
        state.remove("3.bias");
        state.put("4.weight", Tensor.zeros(2, 2));
        state.put("0.bias", Tensor.zeros(7));
        float before = m.namedParameters().get("0.weight").get(0, 0);
        StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(state, true));
        assertEquals(List.of("1.running_var", "3.bias"), e.missing());
        assertEquals(List.of("4.weight"), e.unexpected());
        assertEquals(List.of("0.bias: checkpoint [7], model [8]"), e.mismatched());
        assertTrue(e.getMessage().contains("missing keys: 1.running_var, 3.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: 4.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatch: 0.bias"), e.getMessage());
        assertEquals(before, m.namedParameters().get("0.weight").get(0, 0), "nothing is copied on failure");
    }

    @Test
    void nonStrictLoadSkipsMissingAndUnexpectedButNotMisshaped() {
        Sequential m = mlp(1);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("0.weight", Tensor.ones(8, 4));
        state.put("extra", Tensor.ones(1));
        m.loadStateDict(state, false);
        assertEquals(1f, m.namedParameters().get("0.weight").get(7, 3));
        state.put("3.weight", Tensor.ones(3, 7));
        StateDictException e = assertThrows(StateDictException.class, () -> m.loadStateDict(state, false));
        assertEquals(List.of("3.weight: checkpoint [3, 7], model [3, 8]"), e.mismatched());
        assertTrue(e.missing().isEmpty() && e.unexpected().isEmpty());
    }

    @Test
    void trainAndEvalReachEverySubmodule() {
        Sequential inner = new Sequential(new Dropout(0.5f, new SplittableRandom(1)));
        Sequential m = new Sequential(new ReLU(), inner);
        assertTrue(inner.get(0).isTraining());
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(inner.get(0).isTraining());
        m.train();
        assertTrue(inner.get(0).isTraining());
    }

    @Test
    void zeroGradClearsAllGradients() {
        Sequential m = mlp(1);
        m.forward(Tensor.randn(new SplittableRandom(4), 5, 4)).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        m.parameters().forEach(p -> assertNull(p.grad()));
    }

    @Test
    void registrationRejectsBadAndDuplicateNames() {
        class Bad extends Module {
            Bad(String first, String second) {
                registerParameter(first, Tensor.zeros(1));
                registerBuffer(second, Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("w", "w"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertEquals(List.of("w"), List.copyOf(new Bad("w", "b").namedParameters().keySet()));
    }
}
