package dev.autodiff.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.GELU;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.SGD;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** When the warm-up calls the kernels warm, from given chunk times (no clock is read here). */
class KernelWarmupTest {

    @Test
    void fourSteadyChunksWithTheCompilerIdleAreWarm() {
        KernelWarmup.SteadyState s = new KernelWarmup.SteadyState();
        // interpreted, then C1, then C2: each faster chunk restarts the count
        assertFalse(s.add(900, true));
        assertFalse(s.add(300, true));
        assertFalse(s.add(100, true));
        assertFalse(s.add(110, true));
        assertFalse(s.add(105, true));
        assertTrue(s.add(114, true), "four chunks within 15% of each other");
    }

    @Test
    void aChunkDuringACompilationOrASlowOneStartsTheCountAgain() {
        KernelWarmup.SteadyState s = new KernelWarmup.SteadyState();
        s.add(100, true);
        s.add(100, true);
        s.add(100, true);
        assertFalse(s.add(100, false), "the JIT compiler was busy");
        s.add(100, true);
        s.add(100, true);
        assertFalse(s.add(116, true), "16% slower than the fastest");
        s.add(100, true);
        s.add(100, true);
        s.add(100, true);
        assertTrue(s.add(100, true));
    }

    @Test
    void aHostThatSlowsDownAfterTheFastestChunkStillGetsWarm() {
        KernelWarmup.SteadyState s = new KernelWarmup.SteadyState();
        assertFalse(s.add(100, true));
        assertFalse(s.add(102, true));
        // the host slows down: the compiled code is as fast as it gets, 30% slower than that chunk
        assertFalse(s.add(130, true));
        assertFalse(s.add(131, true));
        assertFalse(s.add(129, true), "102 is among the last four");
        assertTrue(s.add(130, true), "four chunks within 15% of each other");
    }

    @Test
    void theWarmUpBecomesWarmAndEnds() {
        try (KernelWarmup warmup = KernelWarmup.start(8, new int[] {16}, Activation.RELU, model -> new SGD(model.parameters(), 0.01))) {
            assertTrue(warmup.awaitWarm(Duration.ofMinutes(2)));
        }
    }

    @Test
    void theWarmUpTrainsTheRunsLayersActivationAndOptimizer() {
        List<Sequential> models = new CopyOnWriteArrayList<>();
        try (KernelWarmup warmup = KernelWarmup.start(8, new int[] {300, 12}, Activation.GELU, model -> {
            models.add(model);
            return new Adam(model.parameters(), 1e-3);
        })) {
            assertTrue(warmup.awaitWarm(Duration.ofMinutes(2)));
        }
        Sequential model = models.getFirst();
        // 784-300-12-10 with gelu, its first layer capped at 256 units (weights are [out, in])
        assertEquals(5, model.size());
        assertArrayEquals(new int[] {256, 784}, ((Linear) model.get(0)).weight().shape());
        assertInstanceOf(GELU.class, model.get(1));
        assertArrayEquals(new int[] {12, 256}, ((Linear) model.get(2)).weight().shape());
        assertInstanceOf(GELU.class, model.get(3));
        assertArrayEquals(new int[] {10, 12}, ((Linear) model.get(4)).weight().shape());
    }

    @Test
    void closingInTheMiddleOfAnEpochIsNotAFailure() {
        KernelWarmup warmup = KernelWarmup.start(8, new int[] {16}, Activation.RELU, model -> new SGD(model.parameters(), 0.01));
        // the first epoch runs interpreted for a long while: close() lands inside it
        assertDoesNotThrow(warmup::close);
        assertFalse(warmup.awaitWarm(Duration.ZERO));
    }
}
