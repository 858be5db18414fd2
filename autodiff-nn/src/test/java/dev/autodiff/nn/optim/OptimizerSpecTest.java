package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each optimizer's declaration is what its instances, state dicts and setters use. */
class OptimizerSpecTest {

    /** Every built-in optimizer's: a new one is tested once it has its line in {@link OptimizerKind}. */
    static List<OptimizerSpec> specs() {
        return Arrays.stream(OptimizerKind.values()).map(OptimizerKind::spec).toList();
    }

    private static List<Tensor> params() {
        return List.of(Tensor.vector(1f, 2f).requiresGrad());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void anOptimizerStartsWithTheDeclaredDefaultsAndRecordsItsSpecsName(OptimizerSpec spec) {
        Optimizer opt = spec.create(params(), 0.125);
        assertSame(spec, opt.spec());
        assertEquals(spec.name(), opt.getClass().getSimpleName());
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("lr", 0.125);
        for (HyperParameter h : spec.hyperParameters()) {
            expected.put(h.name(), h.defaultValue());
            assertEquals(h.defaultValue(), opt.get(h.name()));
            assertEquals(h.defaultValue(), spec.defaultOf(h.name()));
        }
        assertEquals(expected, opt.hyperParameters());
        assertEquals(spec.name(), opt.stateDict().optimizer());
        assertTrue(spec.defaultLr() > 0);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void setChecksTheNameAndTheDomain(OptimizerSpec spec) {
        Optimizer opt = spec.create(params(), 0.1);
        for (HyperParameter h : spec.hyperParameters()) {
            double value = h.domain() == HyperParameter.Domain.FLAG ? 1 : 0.5;
            assertSame(opt, opt.set(h.name(), value));
            assertEquals(value, opt.get(h.name()));
            if (h.domain() != HyperParameter.Domain.REAL) {
                var e = assertThrows(IllegalArgumentException.class, () -> opt.set(h.name(), -1));
                assertEquals(spec.name() + ": " + h.name() + " must be " + h.domain() + ", got -1.0", e.getMessage());
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> opt.set("rho", 0.5));
        assertTrue(e.getMessage().startsWith(spec.name() + " has no hyper-parameter 'rho'"), e.getMessage());
        opt.set("lr", 0.3);
        assertEquals(0.3, opt.learningRate());
    }

    @Test
    void typedSettersWriteTheDeclaredSlots() {
        SGD sgd = new SGD(params(), 0.1).momentum(0.9).nesterov(true).weightDecay(0.01);
        assertEquals(Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.0, "weight_decay", 0.01, "nesterov", 1.0),
                sgd.hyperParameters());
        assertEquals(0.01, new AdamW(params(), 0.1).get("weight_decay"), "AdamW declares PyTorch's default decay");
        assertEquals(0.0, new Adam(params(), 0.1).get("weight_decay"));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params(), 0.1).betas(0.9, 1.0));
        assertTrue(SGD.SPEC.declares("momentum"));
        assertFalse(Adam.SPEC.declares("momentum"));
    }

    @Test
    void aSpecRefusesADuplicateOrAnInvalidDefault() {
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("Twice", 0.1, SGD::new,
                HyperParameter.real("a", 0), HyperParameter.real("a", 1)));
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("Lr", 0.1, SGD::new,
                HyperParameter.real("lr", 0)));
        assertThrows(IllegalArgumentException.class, () -> HyperParameter.fraction("beta", 1.0));
    }
}
