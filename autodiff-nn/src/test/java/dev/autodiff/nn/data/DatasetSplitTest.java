package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetSplitTest {
    /** Example i has the single feature i and label i. */
    private static final TensorDataset DATA = TensorDataset.withLabels(Tensor.arange(20).reshape(20, 1),
            IntStream.range(0, 20).toArray());

    @Test
    void holdsOutTheRoundedFractionDisjointlyAndInOrder() {
        DatasetSplit split = DatasetSplit.random(DATA, 0.26, 5);
        int[] validation = split.validation().labels();
        int[] train = split.train().labels();
        assertEquals(5, validation.length);
        assertEquals(15, train.length);
        int[] all = IntStream.concat(Arrays.stream(train), Arrays.stream(validation)).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 20).toArray(), all);
        assertArrayEquals(Arrays.stream(train).sorted().toArray(), train);
        assertArrayEquals(Arrays.stream(validation).sorted().toArray(), validation);
        for (int i = 0; i < train.length; i++) {
            assertEquals(train[i], split.train().features().get(i, 0), "features follow their labels");
        }
        assertFalse(Arrays.equals(IntStream.range(15, 20).toArray(), validation), "not simply the last examples");
    }

    @Test
    void theSeedDecidesTheSplit() {
        assertArrayEquals(DatasetSplit.random(DATA, 0.25, 5).validation().labels(),
                DatasetSplit.random(DATA, 0.25, 5).validation().labels());
        assertNotEquals(Arrays.toString(DatasetSplit.random(DATA, 0.25, 5).validation().labels()),
                Arrays.toString(DatasetSplit.random(DATA, 0.25, 6).validation().labels()));
    }

    @Test
    void rejectsFractionsThatLeaveAPartEmpty() {
        assertEquals("DatasetSplit: validation fraction must lie strictly between 0 and 1, got 1.0",
                assertThrows(IllegalArgumentException.class, () -> DatasetSplit.random(DATA, 1.0, 0)).getMessage());
        assertEquals("DatasetSplit: a validation fraction of 0.01 of 20 examples leaves one part empty",
                assertThrows(IllegalArgumentException.class, () -> DatasetSplit.random(DATA, 0.01, 0)).getMessage());
    }
}
