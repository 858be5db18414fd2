package dev.autodiff.examples.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.optim.SGD;
import java.time.Duration;
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
        assertTrue(s.add(114, true), "four chunks within 15% of the fastest");
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
    void theWarmUpBecomesWarmAndEnds() {
        try (KernelWarmup warmup = KernelWarmup.start(8, new int[] {16}, Activation.RELU, model -> new SGD(model.parameters(), 0.01))) {
            assertTrue(warmup.awaitWarm(Duration.ofMinutes(2)));
        }
    }

    @Test
    void closingInTheMiddleOfAnEpochIsNotAFailure() {
        KernelWarmup warmup = KernelWarmup.start(8, new int[] {16}, Activation.RELU, model -> new SGD(model.parameters(), 0.01));
        // the first epoch runs interpreted for a long while: close() lands inside it
        assertDoesNotThrow(warmup::close);
        assertFalse(warmup.awaitWarm(Duration.ZERO));
    }
}
