package dev.autodiff.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** The two ways of {@link PerExampleGradients} compute the same gradients, so that the benchmark compares equal work. */
class PerExampleGradientsTest {

    @Test
    void vmapAndTheLoopGiveTheSameGradients() {
        PerExampleGradients work = new PerExampleGradients(new int[] {12, 7, 5, 3}, 6, 9);
        Tensor[] batched = work.vmapped();
        Tensor[][] looped = work.loop();
        assertEquals(6, batched.length);
        for (int p = 0; p < batched.length; p++) {
            assertEquals(6, batched[p].shape(0));
            for (int b = 0; b < looped.length; b++) {
                Tensor expected = looped[b][p];
                Tensor actual = batched[p].sliceRows(b, b + 1).reshape(expected.shape());
                assertArrayEquals(expected.toArray(), actual.toArray(), 1e-5f, "parameter " + p + ", example " + b);
            }
        }
        Tensor[] stacked = work.loopStacked();
        for (int p = 0; p < batched.length; p++) {
            assertArrayEquals(batched[p].shape(), stacked[p].shape());
            assertArrayEquals(stacked[p].toArray(), batched[p].toArray(), 1e-5f, "parameter " + p);
        }
        float norm = 0;
        for (Tensor g : batched) {
            norm += (float) g.sumOfSquares();
        }
        assertTrue(norm > 0, "the gradients are not all zero");
    }

    @Test
    void rejectsASingleLayerWidth() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PerExampleGradients(new int[] {784}, 64, 1));
        assertTrue(e.getMessage().contains("PerExampleGradients"), e.getMessage());
    }
}
