package dev.autodiff.nn.optim;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each optimizer, the gradient clipping and the schedules against sequences recorded from
 * PyTorch 1.13 by {@code autodiff-nn/scripts/optimizer_reference.py} on the same problem.
 */
class OptimizerReferenceTest {
    static final float[][] W0 = {
            {0.5f, -0.3f, 0.8f, 0.1f},
            {-0.6f, 0.2f, 0.4f, -0.9f},
            {0.3f, 0.7f, -0.5f, 0.25f}};
    static final float[] B0 = {0.1f, -0.2f, 0.05f};
    static final float[][] X = {
            {1.0f, 0.5f, -1.5f, 2.0f},
            {-0.5f, 1.5f, 0.25f, -1.0f},
            {2.0f, -1.0f, 0.5f, 0.75f},
            {0.3f, 0.8f, -0.6f, -0.2f},
            {-1.2f, 0.4f, 1.1f, 0.9f}};
    static final float[][] Y = {
            {1.0f, -1.0f, 0.5f},
            {0.0f, 2.0f, -0.5f},
            {1.5f, 0.5f, 1.0f},
            {-0.5f, 0.25f, 0.75f},
            {0.2f, -0.8f, 1.2f}};

    static final Map<String, Function<List<Tensor>, Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("sgd", p -> new SGD(p, 0.1));
        CASES.put("sgd_momentum", p -> new SGD(p, 0.1).momentum(0.9));
        CASES.put("sgd_nesterov", p -> new SGD(p, 0.1).momentum(0.9).nesterov(true));
        CASES.put("sgd_weight_decay", p -> new SGD(p, 0.1).momentum(0.9).weightDecay(0.1));
        CASES.put("sgd_dampening", p -> new SGD(p, 0.1).momentum(0.9).dampening(0.5));
        CASES.put("sgd_nesterov_weight_decay", p -> new SGD(p, 0.1).momentum(0.9).nesterov(true).weightDecay(0.05));
        CASES.put("adam", p -> new Adam(p, 0.01));
        CASES.put("adam_weight_decay", p -> new Adam(p, 0.01).betas(0.8, 0.99).weightDecay(0.1));
        CASES.put("adam_amsgrad", p -> new Adam(p, 0.1).amsgrad(true));
        CASES.put("adamw", p -> new AdamW(p, 0.01).weightDecay(0.1));
        CASES.put("adamw_amsgrad", p -> new AdamW(p, 0.1).amsgrad(true));
        CASES.put("rmsprop", p -> new RMSprop(p, 0.01));
        CASES.put("rmsprop_centered", p -> new RMSprop(p, 0.01).centered(true));
        CASES.put("rmsprop_momentum", p -> new RMSprop(p, 0.01).momentum(0.9));
        CASES.put("rmsprop_all", p -> new RMSprop(p, 0.01).alpha(0.9).eps(1e-6).weightDecay(0.1).momentum(0.5)
                .centered(true));
        CASES.put("adagrad", p -> new Adagrad(p, 0.1));
        CASES.put("adagrad_all", p -> new Adagrad(p, 0.1).lrDecay(0.01).weightDecay(0.1).initialAccumulatorValue(0.1)
                .eps(1e-6));
        // W takes the optimizer's values, b has its own: a setter called later leaves b's alone
        CASES.put("sgd_groups", p -> new SGD(0.1, ParamGroup.of(p.subList(0, 1)),
                ParamGroup.of(p.subList(1, 2)).with("lr", 0.02).with("weight_decay", 0)).momentum(0.9).weightDecay(0.1));
        CASES.put("adam_groups", p -> new Adam(0.01, ParamGroup.of(p.subList(0, 1)).with("lr", 0.05).with("beta1", 0.8)
                .with("beta2", 0.99), ParamGroup.of(p.subList(1, 2)).with("amsgrad", 1)));
    }

    static final Map<String, LrSchedule> SCHEDULES = Map.of(
            "step", LrSchedule.step(3, 0.5),
            "exponential", LrSchedule.exponential(0.9),
            "cosine", LrSchedule.cosine(10, 0.001),
            "linear", LrSchedule.linear(0.25, 1.0, 4),
            "warmup_cosine", LrSchedule.warmupCosine(3, 12, 0.1, 0.0));

    /** Rows of the fixture by {@code kind,case,step}. */
    static final Map<String, double[]> FIXTURE = readFixture();

    private static Map<String, double[]> readFixture() {
        try (InputStream in = OptimizerReferenceTest.class.getResourceAsStream("/optimizer_reference.csv")) {
            Map<String, double[]> rows = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                double[] v = new double[f.length - 3];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Double.parseDouble(f[i + 3]);
                }
                rows.put(f[0] + "," + f[1] + "," + f[2], v);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tensor[] problem() {
        return new Tensor[] {Tensor.matrix(W0).requiresGrad(), Tensor.vector(B0).requiresGrad()};
    }

    static void backward(Tensor w, Tensor b) {
        Functional.mse(Functional.linear(Tensor.matrix(X), w, b), Tensor.matrix(Y)).backward();
    }

    static float[] values(Tensor... ts) {
        float[] out = new float[Stream.of(ts).mapToInt(Tensor::size).sum()];
        int k = 0;
        for (Tensor t : ts) {
            t.values().get(0, out, k, t.size());
            k += t.size();
        }
        return out;
    }

    /** Relative tolerance on the scale of the parameters: values near 0 are compared as if of size 0.1. */
    static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(0.1, Math.abs(expected[i]));
            assertTrue(Math.abs(actual[i] - expected[i]) <= allowed,
                    what + " element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    static Stream<String> cases() {
        return CASES.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fiveStepsMatchPyTorch(String name) {
        Tensor[] p = problem();
        Optimizer opt = CASES.get(name).apply(List.of(p));
        for (int step = 1; step <= 5; step++) {
            opt.zeroGrad();
            backward(p[0], p[1]);
            opt.step();
            double[] expected = FIXTURE.get("params," + name + "," + step);
            assertNotNull(expected, name + " step " + step + " is in the fixture");
            assertClose(expected, values(p), 1e-6, name + " step " + step);
        }
    }

    @Test
    void fixtureCoversEveryCase() {
        long paramRows = FIXTURE.keySet().stream().filter(k -> k.startsWith("params,")).count();
        assertEquals(CASES.size() * 5L, paramRows);
    }

    @Test
    void clipGradNormMatchesPyTorch() {
        Tensor[] p = problem();
        backward(p[0], p[1]);
        double total = GradClip.clipGradNorm(List.of(p), 0.5);
        double[] expected = FIXTURE.get("clip,norm,0");
        assertEquals(expected[0], total, 1e-6 * expected[0]);
        assertClose(java.util.Arrays.copyOfRange(expected, 1, expected.length),
                values(p[0].grad(), p[1].grad()), 1e-6, "clipped gradients");
    }

    @Test
    void clipGradValueMatchesPyTorch() {
        Tensor[] p = problem();
        backward(p[0], p[1]);
        GradClip.clipGradValue(List.of(p), 0.1);
        double[] expected = FIXTURE.get("clip,value,0");
        assertClose(java.util.Arrays.copyOfRange(expected, 1, expected.length),
                values(p[0].grad(), p[1].grad()), 1e-6, "clipped gradients");
    }

    static Stream<String> schedules() {
        return SCHEDULES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void scheduleMatchesPyTorch(String name) {
        Optimizer opt = new SGD(List.of(problem()), 0.1);
        LrScheduler scheduler = new LrScheduler(opt, SCHEDULES.get(name));
        for (int step = 0; step <= 14; step++) {
            if (step > 0) {
                scheduler.step();
            }
            double expected = FIXTURE.get("lr," + name + "," + step)[0];
            assertEquals(expected, opt.learningRate(), 1e-12, name + " step " + step);
        }
    }

    /** SGD on W at the optimizer's 0.1 and on b at its own 0.02. */
    private static Optimizer twoGroups() {
        Tensor[] p = problem();
        return new SGD(0.1, ParamGroup.of(List.of(p[0])), ParamGroup.of(List.of(p[1])).with("lr", 0.02));
    }

    private static double[] groupRates(Optimizer opt) {
        return opt.paramGroups().stream().mapToDouble(ParamGroup::learningRate).toArray();
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void eachGroupFollowsTheScheduleFromItsOwnRateAsInPyTorch(String name) {
        Optimizer opt = twoGroups();
        LrScheduler scheduler = new LrScheduler(opt, SCHEDULES.get(name));
        for (int step = 0; step <= 14; step++) {
            if (step > 0) {
                scheduler.step();
            }
            assertArrayEquals(FIXTURE.get("grouplr," + name + "," + step), groupRates(opt), 1e-12,
                    name + " step " + step);
        }
    }

    static final Map<String, Function<Optimizer, ReduceLROnPlateau>> PLATEAUS = Map.of(
            "min_rel", o -> new ReduceLROnPlateau(o).mode(ReduceLROnPlateau.Mode.MIN).factor(0.5).patience(2)
                    .threshold(0.01, ReduceLROnPlateau.ThresholdMode.REL).cooldown(1).minLr(0.01),
            "max_abs", o -> new ReduceLROnPlateau(o).mode(ReduceLROnPlateau.Mode.MAX).factor(0.1).patience(1)
                    .threshold(0.05, ReduceLROnPlateau.ThresholdMode.ABS).minLr(0.0005, 0.0));
    static final double[] PLATEAU_METRICS = {1.0, 0.9, 0.895, 0.9, 0.91, 0.5, 0.6, 0.6, 0.6, 0.2, 0.3, 0.3, 0.31, 0.3,
            0.1, 0.2, 0.2, 0.2, 0.2, 0.2};

    @ParameterizedTest
    @ValueSource(strings = {"min_rel", "max_abs"})
    void reduceLrOnPlateauMatchesPyTorch(String name) {
        Optimizer opt = twoGroups();
        ReduceLROnPlateau plateau = PLATEAUS.get(name).apply(opt);
        for (int step = 1; step <= PLATEAU_METRICS.length; step++) {
            plateau.step(PLATEAU_METRICS[step - 1]);
            assertArrayEquals(FIXTURE.get("plateau," + name + "," + step), groupRates(opt), 1e-12, name + " step " + step);
        }
    }

    @Test
    void aSchedulerRestoredFromItsStateContinuesTheSequence() {
        Optimizer opt = twoGroups();
        LrScheduler first = new LrScheduler(opt, SCHEDULES.get("warmup_cosine"));
        for (int i = 0; i < 5; i++) {
            first.step();
        }
        Optimizer resumedOpt = twoGroups();
        LrScheduler resumed = new LrScheduler(resumedOpt, SCHEDULES.get("warmup_cosine"));
        resumed.loadStateDict(first.stateDict());
        assertArrayEquals(groupRates(opt), groupRates(resumedOpt), "the rates of step 5");
        resumed.step();
        assertArrayEquals(FIXTURE.get("grouplr,warmup_cosine,6"), groupRates(resumedOpt), 1e-12);

        Optimizer plateauOpt = twoGroups();
        ReduceLROnPlateau plateau = PLATEAUS.get("min_rel").apply(plateauOpt);
        Optimizer againOpt = twoGroups();
        ReduceLROnPlateau again = PLATEAUS.get("min_rel").apply(againOpt);
        for (int step = 1; step <= PLATEAU_METRICS.length; step++) {
            if (step == 8) { // the counters move to a new scheduler; the rates are the optimizer's state
                againOpt.loadStateDict(plateauOpt.stateDict());
                again.loadStateDict(plateau.stateDict());
            }
            plateau.step(PLATEAU_METRICS[step - 1]);
            if (step >= 8) {
                again.step(PLATEAU_METRICS[step - 1]);
                assertArrayEquals(groupRates(plateauOpt), groupRates(againOpt), "step " + step);
            }
        }
        assertEquals(plateau.stateDict(), again.stateDict());
    }
}
