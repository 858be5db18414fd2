package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Labeled;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The built-in optimizers by name, and an optimizer made from a map of the hyper-parameters it may declare. */
class OptimizerKindTest {

    private static List<Tensor> params() {
        return List.of(Tensor.vector(1f, 2f).requiresGrad());
    }

    @Test
    void eachKindIsItsClassesSpecUnderItsNameInLowerCase() {
        assertEquals(List.of("sgd", "adam", "adamw", "rmsprop", "adagrad"), Labeled.labels(OptimizerKind.class));
        assertSame(SGD.SPEC, OptimizerKind.SGD.spec());
        assertSame(Adam.SPEC, OptimizerKind.ADAM.spec());
        assertSame(AdamW.SPEC, OptimizerKind.ADAMW.spec());
        assertSame(RMSprop.SPEC, OptimizerKind.RMSPROP.spec());
        assertSame(Adagrad.SPEC, OptimizerKind.ADAGRAD.spec());
        for (OptimizerKind kind : OptimizerKind.values()) {
            assertEquals(kind.spec().name().toLowerCase(Locale.ROOT), kind.label());
            assertEquals(kind.name().toLowerCase(Locale.ROOT), kind.label(), "the constant is the label in upper case");
            assertSame(kind, OptimizerKind.fromLabel(kind.label()));
            assertEquals(kind.spec().name(), kind.spec().create(params(), 0.1).getClass().getSimpleName());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerKind.fromLabel("lbfgs"));
        assertEquals("unknown optimizer 'lbfgs'; expected one of sgd, adam, adamw, rmsprop, adagrad", e.getMessage());
    }

    @Test
    void createSetsTheDeclaredHyperParametersAndSkipsTheOthers() {
        Map<String, Double> options = Map.of("momentum", 0.5, "weight_decay", 0.125, "nesterov", 1.0);
        Optimizer sgd = SGD.SPEC.create(params(), 0.1, options);
        assertEquals(new SGD(params(), 0.1).momentum(0.5).weightDecay(0.125).nesterov(true).hyperParameters(),
                sgd.hyperParameters());

        // Adam has no momentum and no nesterov: they are left out; its own values stay at their defaults.
        Optimizer adam = Adam.SPEC.create(params(), 0.01, options);
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("lr", 0.01);
        expected.put("beta1", 0.9);
        expected.put("beta2", 0.999);
        expected.put("eps", 1e-8);
        expected.put("weight_decay", 0.125);
        expected.put("amsgrad", 0.0);
        assertEquals(expected, adam.hyperParameters());

        // An empty map gives the declared defaults, as create(params, lr).
        assertEquals(AdamW.SPEC.create(params(), 0.01).hyperParameters(),
                AdamW.SPEC.create(params(), 0.01, Map.of()).hyperParameters());
    }

    @Test
    void createChecksTheValuesItSetsAndRefusesALearningRateInTheMap() {
        var outOfDomain = assertThrows(IllegalArgumentException.class,
                () -> RMSprop.SPEC.create(params(), 0.01, Map.of("momentum", -0.5)));
        assertEquals("RMSprop: momentum must be 0 or more, got -0.5", outOfDomain.getMessage());
        var nan = assertThrows(IllegalArgumentException.class,
                () -> SGD.SPEC.create(params(), 0.01, Map.of("weight_decay", Double.NaN)));
        assertEquals("SGD: weight_decay must be 0 or more, got NaN", nan.getMessage());
        // An undeclared NaN is skipped: a trainer may pass NaN for "this optimizer has none".
        assertEquals(0.0, Adam.SPEC.create(params(), 0.01, Map.of("momentum", Double.NaN)).get("weight_decay"));
        var lr = assertThrows(IllegalArgumentException.class,
                () -> Adam.SPEC.create(params(), 0.01, Map.of("lr", 0.1)));
        assertEquals("Adam: give the learning rate as lr, not in the hyper-parameters {lr=0.1}", lr.getMessage());
    }
}
