package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Labeled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The schedule presets: their labels and, for a few run lengths, the rate of every epoch derived by hand. */
class SchedulePresetTest {

    /** The rates of epochs 0 .. n-1 of {@code preset} over {@code epochs}, from base rate 1. */
    private static double[] rates(SchedulePreset preset, int epochs, int n) {
        LrSchedule s = preset.forEpochs(epochs);
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            out[e] = s.lr(1, e);
        }
        return out;
    }

    private static void assertRates(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "epoch " + i);
        }
    }

    @Test
    void labelsAndFromLabel() {
        assertEquals(List.of("none", "step", "cosine", "warmup-cosine"), Labeled.labels(SchedulePreset.class));
        for (SchedulePreset p : SchedulePreset.values()) {
            assertSame(p, SchedulePreset.fromLabel(p.label()));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulePreset.fromLabel("warmup_cosine"));
        assertEquals("unknown schedule 'warmup_cosine'; expected one of none, step, cosine, warmup-cosine", e.getMessage());
    }

    @Test
    void noneKeepsTheRate() {
        assertRates(new double[] {1, 1, 1, 1}, rates(SchedulePreset.NONE, 3, 4));
        assertEquals(0.25, SchedulePreset.NONE.forEpochs(1).lr(0.25, 100));
    }

    @Test
    void stepDividesByTenEveryThirdOfTheRun() {
        assertRates(new double[] {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001}, rates(SchedulePreset.STEP, 10, 10));
        // Fewer than 3 epochs: every epoch.
        assertRates(new double[] {1, 0.1}, rates(SchedulePreset.STEP, 2, 2));
    }

    @Test
    void cosineAnnealsToZeroAtTheEndOfTheRun() {
        // (1 + cos(π·t/4)) / 2 for t = 0..4
        double r = Math.sqrt(2) / 2;
        assertRates(new double[] {1, (1 + r) / 2, 0.5, (1 - r) / 2, 0}, rates(SchedulePreset.COSINE, 4, 5));
    }

    @Test
    void warmupCosineRisesFromATenthOverATenthOfTheRunThenAnneals() {
        // 20 epochs: warm-up over 2 (0.1, 0.55), then cosine over the 18 left: 1 at epoch 2, 0.5 at 11, 0 at 20.
        double[] r = rates(SchedulePreset.WARMUP_COSINE, 20, 21);
        assertEquals(0.1, r[0], 1e-12);
        assertEquals(0.55, r[1], 1e-12);
        assertEquals(1, r[2], 1e-12);
        assertEquals(0.5, r[11], 1e-12);
        assertEquals(0, r[20], 1e-12);
        // 5 epochs: one epoch of warm-up, then cosine over 4.
        assertRates(new double[] {0.1, 1, (1 + Math.sqrt(2) / 2) / 2, 0.5, (1 - Math.sqrt(2) / 2) / 2},
                rates(SchedulePreset.WARMUP_COSINE, 5, 5));
        // One epoch is all warm-up: a tenth of the rate during it.
        assertRates(new double[] {0.1, 1}, rates(SchedulePreset.WARMUP_COSINE, 1, 2));
    }

    @Test
    void aSchedulerFollowsThePresetFromTheOptimizersRate() {
        Optimizer opt = new SGD(List.of(Tensor.vector(1f).requiresGrad()), 0.2);
        LrScheduler scheduler = new LrScheduler(opt, SchedulePreset.STEP.forEpochs(6));
        assertEquals(0.2, opt.learningRate(), 1e-15);
        scheduler.step();
        scheduler.step();
        assertEquals(0.02, opt.learningRate(), 1e-15);
    }

    @Test
    void aRunNeedsAtLeastOneEpoch() {
        for (SchedulePreset p : SchedulePreset.values()) {
            var e = assertThrows(IllegalArgumentException.class, () -> p.forEpochs(0));
            assertEquals("SchedulePreset." + p.name() + ": the number of epochs must be positive, got 0", e.getMessage());
        }
    }
}
