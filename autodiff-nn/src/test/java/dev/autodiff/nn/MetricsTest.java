package dev.autodiff.nn;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accuracy, the confusion matrix and the running mean against counted values. */
class MetricsTest {
    static final Tensor LOGITS = Tensor.matrix(new float[][] {{3, 1, 0}, {0, 2, 1}, {0, 5, 1}, {1, 0, 4}, {2, 0, 1}});
    static final int[] LABELS = {0, 1, 2, 2, 1};

    @Test
    void accuracyCountsArgMaxHits() {
        assertEquals(3, Metrics.correct(LOGITS, LABELS));
        assertEquals(0.6, Metrics.accuracy(LOGITS, LABELS), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(LOGITS, new int[] {0, 1}));
    }

    @Test
    void confusionMatrixAccumulatesPairs() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(LOGITS, LABELS);
        m.add(new int[] {0}, new int[] {0});
        // predicted: 0, 1, 1, 2, 0
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(1, 1));
        assertEquals(1, m.count(1, 0));
        assertEquals(1, m.count(2, 1));
        assertEquals(1, m.count(2, 2));
        assertEquals(6, m.total());
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.precision(0), 1e-12);
        assertEquals(0.5, m.recall(1), 1e-12);
        assertEquals(0.5, m.recall(2), 1e-12);
        assertEquals("actual \\ predicted\n2 0 0\n1 1 0\n0 1 1", m.toString());
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {3}, new int[] {0}));
    }

    @Test
    void runningMeanAveragesValuesAndItems() {
        RunningMean mean = new RunningMean();
        assertTrue(Double.isNaN(mean.mean()));
        Tensor w = Tensor.scalar(2f).requiresGrad();
        mean.add(w.mul(3f));
        mean.add(2.0);
        mean.add(1.0, 2);
        assertEquals((6 + 2 + 2) / 4.0, mean.mean(), 1e-12);
        assertEquals(4, mean.count());
        mean.reset();
        assertEquals(0, mean.count());
    }
}
