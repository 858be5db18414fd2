package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter groups: own values and inherited ones, and their round trip through a state dict. */
class ParamGroupTest {
    private static final Tensor A = Tensor.ones(2, 2).requiresGrad();
    private static final Tensor B = Tensor.ones(2).requiresGrad();

    @Test
    void aGroupKeepsItsOwnValuesAndTakesTheOptimizersForTheRest() {
        ParamGroup base = ParamGroup.of(List.of(A));
        ParamGroup head = ParamGroup.of(List.of(B)).with("lr", 0.01).with("weight_decay", 0);
        SGD sgd = new SGD(0.1, base, head).momentum(0.9).weightDecay(1e-4);
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.0, "weight_decay", 1e-4, "nesterov", 0.0),
                base.hyperParameters());
        assertEquals(Map.of("lr", 0.01, "momentum", 0.9, "dampening", 0.0, "weight_decay", 0.0, "nesterov", 0.0),
                head.hyperParameters());
        sgd.setLearningRate(0.2);
        assertEquals(0.2, base.learningRate());
        assertEquals(0.01, head.learningRate(), "the group's own rate stays");
        base.set("momentum", 0.5);
        sgd.momentum(0.8);
        assertEquals(0.5, base.get("momentum"), "set on the group makes it its own");
        assertEquals(0.8, head.get("momentum"));
        assertEquals(List.of(A, B), sgd.parameters());
    }

    @Test
    void eachGroupStepsWithItsOwnRate() {
        Tensor a = Tensor.vector(1f).requiresGrad();
        Tensor b = Tensor.vector(1f).requiresGrad();
        SGD sgd = new SGD(0.5, ParamGroup.of(List.of(a)), ParamGroup.of(List.of(b)).with("lr", 0.25));
        a.setGrad(Tensor.vector(1f));
        b.setGrad(Tensor.vector(1f));
        sgd.step();
        assertArrayEquals(new float[] {0.5f}, a.toArray());
        assertArrayEquals(new float[] {0.75f}, b.toArray());
    }

    @Test
    void mistakesAreCaughtWhenTheGroupJoins() {
        var twice = assertThrows(IllegalArgumentException.class,
                () -> new SGD(0.1, ParamGroup.of(List.of(A)), ParamGroup.of(List.of(A, B))));
        assertEquals("SGD: parameter 1 appears twice (in one group, or in two); give each parameter once",
                twice.getMessage());
        var domain = assertThrows(IllegalArgumentException.class,
                () -> new Adam(0.1, ParamGroup.of(List.of(A)).with("beta1", 1.5)));
        assertEquals("Adam: beta1 must be in [0, 1), got 1.5", domain.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> new Adam(0.1, ParamGroup.of(List.of(A)).with("momentum", 0.9)));
        assertTrue(unknown.getMessage().startsWith("Adam has no hyper-parameter 'momentum'"), unknown.getMessage());
        ParamGroup used = ParamGroup.of(List.of(B));
        new SGD(0.1, used);
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, used));
        assertThrows(IllegalStateException.class, () -> used.with("lr", 1));
        assertThrows(IllegalStateException.class, () -> ParamGroup.of(List.of(A)).get("lr"));
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1));
    }

    @Test
    void theGroupsRoundTripThroughAStateDictAndItsMetadata() {
        Adam adam = new Adam(0.01, ParamGroup.of(List.of(A)).with("lr", 0.05), ParamGroup.of(List.of(B)).with("amsgrad", 1));
        OptimizerState state = adam.stateDict();
        assertEquals(2, state.groups().size());
        Map<String, String> meta = state.metadata();
        assertEquals("1,1", meta.get("optimizer.groups"));
        assertEquals("0.05", meta.get("optimizer.group.0.lr"));
        assertEquals("1.0", meta.get("optimizer.group.1.amsgrad"));
        OptimizerState read = OptimizerState.from(state.tensors(), meta);
        assertEquals(state.groups(), read.groups());

        Adam other = new Adam(0.3, ParamGroup.of(List.of(A)), ParamGroup.of(List.of(B)));
        other.loadStateDict(read);
        assertEquals(0.05, other.paramGroups().get(0).learningRate());
        assertEquals(0.01, other.paramGroups().get(1).learningRate());
        assertEquals(1.0, other.paramGroups().get(1).get("amsgrad"));
        assertEquals(0.05, other.get("lr"), "the optimizer's values become the first group's");

        Adam oneGroup = new Adam(List.of(A, B), 0.01);
        var e = assertThrows(IllegalArgumentException.class, () -> oneGroup.loadStateDict(read));
        assertEquals("Adam.loadStateDict: the state has parameter groups of [1, 1] parameters, the optimizer [2]",
                e.getMessage());
        assertTrue(oneGroup.stateDict().metadata().containsKey("optimizer.hp.lr"), "one group keeps the plain keys");
    }
}
