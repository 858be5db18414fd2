package dev.autodiff.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class EpochOrderTest {

    @Test
    void splitsABatchIntoLocalRowsOfEachPartitionIncludingEmptyOnes() {
        // Partitions: 0 holds rows 0-2, 1 is empty, 2 holds rows 3-6, 3 is empty, 4 holds row 7.
        EpochOrder order = new EpochOrder(8, new int[] {0, 3, 3, 7, 7}, 1);
        int[][] split = order.split(new int[] {7, 3, 0, 6, 2, 5, 1, 4}, 1, 6);
        assertArrayEquals(new int[][] {{0, 2}, {}, {0, 3, 2}, {}, {}}, split);
        int[][] last = order.split(new int[] {7, 3, 0, 6, 2, 5, 1, 4}, 0, 1);
        assertArrayEquals(new int[][] {{}, {}, {}, {}, {0}}, last);
    }

    @Test
    void permutationIsTheDataLoaderOrderOfTheSeedAndEpoch() {
        EpochOrder a = new EpochOrder(50, new int[] {0}, 9);
        EpochOrder b = new EpochOrder(50, new int[] {0, 25}, 9);
        assertArrayEquals(a.permutation(3), b.permutation(3));
        int[] sorted = a.permutation(0).clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), sorted);
    }
}
