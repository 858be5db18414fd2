package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {
    /** Example i has features [10 i, 10 i + 1] and label i. */
    private static TensorDataset counting(int n) {
        float[] features = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[2 * i] = 10 * i;
            features[2 * i + 1] = 10 * i + 1;
            labels[i] = i;
        }
        return TensorDataset.withLabels(Tensor.of(features, n, 2), labels);
    }

    @Test
    void sequentialBatchesKeepTheSmallerLastBatch() {
        DataLoader loader = DataLoader.builder(counting(5)).batchSize(2).build();
        assertEquals(3, loader.batchesPerEpoch());
        Iterator<Batch> it = loader.iterator();
        Batch first = it.next();
        assertArrayEquals(new int[] {2, 2}, first.x().shape());
        assertArrayEquals(new float[] {0, 1, 10, 11}, first.x().toArray());
        assertArrayEquals(new int[] {0, 1}, first.labels());
        assertArrayEquals(new int[] {2, 3}, it.next().labels());
        Batch last = it.next();
        assertEquals(1, last.size());
        assertArrayEquals(new float[] {40, 41}, last.x().toArray());
        assertArrayEquals(new int[] {4}, last.labels());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void dropLastSkipsTheSmallerBatch() {
        DataLoader loader = DataLoader.builder(counting(5)).batchSize(2).dropLast(true).build();
        assertEquals(2, loader.batchesPerEpoch());
        assertEquals(List.of(0, 1, 2, 3), labelsOfEpoch(loader));
    }

    @Test
    void batchesCollectedInAListStayDistinct() {
        List<Batch> batches = new ArrayList<>();
        DataLoader.builder(counting(7)).batchSize(2).shuffle(5).build().forEach(batches::add);
        List<Integer> seen = new ArrayList<>();
        for (Batch b : batches) {
            for (int r = 0; r < b.size(); r++) {
                int label = b.labels()[r];
                seen.add(label);
                assertArrayEquals(new float[] {10f * label, 10f * label + 1}, b.x().sliceRows(r, r + 1).toArray());
            }
        }
        assertIsPermutation(seen, 7);
    }

    /** {@code Σ (x·w - 1)²} over the rows of a batch. */
    private static Tensor squaredError(Batch b, Tensor w) {
        return b.x().matmul(w).sub(1f).square().sum();
    }

    @Test
    void lossesOfTwoBatchesSummedBeforeOneBackwardGiveTheGradientOfBoth() {
        Tensor w = Tensor.vector(0.5f, -0.25f).requiresGrad();
        Iterator<Batch> it = DataLoader.builder(counting(4)).batchSize(2).build().iterator();
        Batch first = it.next();
        Batch second = it.next();
        squaredError(first, w).add(squaredError(second, w)).backward();

        // d/dw Σ (x·w - 1)² = Σ 2 (x·w - 1) x over the four examples [10 i, 10 i + 1]
        float[] expected = new float[2];
        for (int i = 0; i < 4; i++) {
            float[] x = {10 * i, 10 * i + 1};
            float residual = x[0] * 0.5f + x[1] * -0.25f - 1;
            expected[0] += 2 * residual * x[0];
            expected[1] += 2 * residual * x[1];
        }
        assertArrayEquals(expected, w.grad().toArray(), 1e-3f);
    }

    @Test
    void reusedBuffersAreAnOptInAndAStaleBatchSaysSo() {
        Iterator<Batch> it = DataLoader.builder(counting(6)).batchSize(2).reuseBuffers(true).build().iterator();
        Batch first = it.next();
        Tensor x = first.x();
        int[] labels = first.labels();
        Batch second = it.next();
        assertSame(x, second.x(), "one tensor refilled for each batch");
        assertSame(labels, second.labels());
        assertArrayEquals(new float[] {20, 21, 30, 31}, second.x().toArray());
        for (var use : List.<org.junit.jupiter.api.function.Executable>of(first::x, first::labels, first::copy)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertTrue(e.getMessage().contains("reuseBuffers(true)") && e.getMessage().contains("batch.copy()"),
                    e.getMessage());
        }
        Batch kept = second.copy();
        it.next();
        assertArrayEquals(new float[] {20, 21, 30, 31}, kept.x().toArray(), "a copy outlives the refill");
    }

    @Test
    void aBackwardPassThroughARefilledBatchFails() {
        Tensor w = Tensor.vector(0.5f, -0.25f).requiresGrad();
        Iterator<Batch> it = DataLoader.builder(counting(4)).batchSize(2).reuseBuffers(true).build().iterator();
        Tensor firstLoss = squaredError(it.next(), w);
        Tensor loss = firstLoss.add(squaredError(it.next(), w));
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("changed in place"), e.getMessage());
    }

    @Test
    void aDatasetNeedsOnlySizeAndGet() {
        Dataset squares = new Dataset() {
            public int size() {
                return 5;
            }

            public Example get(int i) {
                return Example.withTarget(Tensor.vector(i, -i), Tensor.scalar(i * i));
            }
        };
        assertArrayEquals(new int[] {2}, squares.featureShape());
        assertFalse(squares.hasLabels());
        assertArrayEquals(new int[0], squares.targetShape());
        Iterator<Batch> it = DataLoader.builder(squares).batchSize(3).build().iterator();
        Batch first = it.next();
        assertArrayEquals(new float[] {0, 0, 1, -1, 2, -2}, first.x().toArray());
        assertArrayEquals(new float[] {0, 1, 4}, first.y().toArray());
        assertArrayEquals(new float[] {9, 16}, it.next().y().toArray());

        Dataset ragged = new Dataset() {
            public int size() {
                return 3;
            }

            public Example get(int i) {
                return Example.labeled(Tensor.zeros(i == 2 ? 3 : 2), i);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DataLoader.builder(ragged).batchSize(3).build().iterator().next());
        assertEquals("Dataset: the features of example 2 have shape [3], those of example 0 [2]; examples batched "
                + "together need one shape", e.getMessage());
        assertEquals(0, DataLoader.builder(new Dataset() {
            public int size() {
                return 0;
            }

            public Example get(int i) {
                throw new IndexOutOfBoundsException(i);
            }
        }).build().batchesPerEpoch());
    }

    @Test
    void examplesOfTheBuiltInDatasets() {
        Example e = counting(3).get(2);
        assertArrayEquals(new float[] {20, 21}, e.x().toArray());
        assertEquals(2, e.label());
        assertThrows(IllegalStateException.class, e::y);
    }

    @Test
    void shuffledEpochsArePermutationsFixedBySeedAndEpoch() {
        DataLoader loader = DataLoader.builder(counting(50)).batchSize(8).shuffle(7).build();
        List<Integer> epoch0 = labelsOfEpoch(loader);
        List<Integer> epoch1 = labelsOfEpoch(loader);
        assertIsPermutation(epoch0, 50);
        assertIsPermutation(epoch1, 50);
        assertNotEquals(epoch0, epoch1);
        assertNotEquals(sorted(epoch0), epoch0);

        DataLoader again = DataLoader.builder(counting(50)).batchSize(5).shuffle(7).build();
        assertEquals(epoch0, labelsOfEpoch(again), "same seed, same epoch, any batch size: same order");
        again.setEpoch(1);
        assertEquals(epoch1, labelsOfEpoch(again), "setEpoch resumes an epoch's order");

        DataLoader otherSeed = DataLoader.builder(counting(50)).batchSize(8).shuffle(8).build();
        assertNotEquals(epoch0, labelsOfEpoch(otherSeed));
    }

    @Test
    void featuresFollowTheirLabelsWhenShuffled() {
        for (Batch b : DataLoader.builder(counting(9)).batchSize(4).shuffle(3).build()) {
            for (int r = 0; r < b.size(); r++) {
                assertEquals(10f * b.labels()[r], b.x().get(r, 0));
                assertEquals(10f * b.labels()[r] + 1, b.x().get(r, 1));
            }
        }
    }

    @Test
    void targetsAndMultiDimensionalFeaturesKeepTheirExampleShapes() {
        Tensor features = Tensor.arange(3 * 2 * 2).reshape(3, 2, 2);
        Tensor targets = Tensor.of(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}, 3, 2);
        TensorDataset data = TensorDataset.withTargets(features, targets);
        Iterator<Batch> it = DataLoader.builder(data).batchSize(2).build().iterator();
        it.next();
        Batch last = it.next();
        assertArrayEquals(new int[] {1, 2, 2}, last.x().shape());
        assertArrayEquals(new float[] {8, 9, 10, 11}, last.x().toArray());
        assertArrayEquals(new int[] {1, 2}, last.y().shape());
        assertArrayEquals(new float[] {4.5f, 5.5f}, last.y().toArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, last::labels);
        assertTrue(e.getMessage().contains("float targets"), e.getMessage());
    }

    @Test
    void rejectsBadConfigurationAndMismatchedData() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(counting(3)).batchSize(0));
        assertEquals("DataLoader: batch size must be at least 1, got 0", size.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> TensorDataset.withLabels(Tensor.zeros(3, 2), new int[] {0, 1}));
        assertEquals("TensorDataset: features of shape [3, 2] have 3 examples but there are 2 labels", mismatch.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> TensorDataset.withLabels(Tensor.zeros(2, 2), new int[] {0, -1}));
        assertEquals("TensorDataset: label -1 at index 1 is negative", negative.getMessage());
    }

    private static List<Integer> labelsOfEpoch(DataLoader loader) {
        List<Integer> labels = new ArrayList<>();
        for (Batch b : loader) {
            for (int label : b.labels()) {
                labels.add(label);
            }
        }
        return labels;
    }

    private static void assertIsPermutation(List<Integer> order, int n) {
        int[] sorted = order.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] expected = new int[n];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted);
    }

    private static List<Integer> sorted(List<Integer> values) {
        return values.stream().sorted().toList();
    }
}
