package dev.autodiff.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.GradCheck;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** The chain the per-op overhead benchmark times computes what it says, and differentiates. */
class OpOverheadBenchmarkTest {
    private final Tensor x = Tensor.of(0.5, -1, 2, 0.25);
    private final Tensor w = Tensor.of(0.9, 1.1, -0.7, 0.3);
    private final Tensor b = Tensor.of(0.1, -0.2, 0.05, 0.4);

    @Test
    void theChainIsTwentyRoundsOfTanhOfAnAffineMapThenASum() {
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double y = x.toArray()[i];
            for (int r = 0; r < OpOverheadBenchmark.ROUNDS; r++) {
                y = Math.tanh(y * w.toArray()[i] + b.toArray()[i]);
            }
            expected += y;
        }
        assertEquals(expected, OpOverheadBenchmark.chain(x, w, b).item(), 1e-5);
        assertEquals(61, OpOverheadBenchmark.OPS);
    }

    @Test
    void theChainsGradientsMatchFiniteDifferences() {
        GradCheck.check(args -> OpOverheadBenchmark.chain(args[0], args[1], args[2]), x, w, b).assertPassed();
    }
}
