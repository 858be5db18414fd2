package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.Dataset;
import dev.autodiff.nn.data.Example;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.util.Arrays;

/**
 * The order in which an epoch visits the rows and how a batch of it splits across the
 * partitions. The order is {@link DataLoader}'s with {@code shuffle(seed)}, over the rows
 * numbered in the DataFrame's order, so synchronous training sees exactly the batches
 * that a {@code DataLoader} with the same seed and batch size gives on one machine.
 */
final class EpochOrder {
    private final DataLoader loader;
    private final int[] starts;

    /** The order of {@code rows} rows split into partitions whose first rows are {@code starts}. */
    EpochOrder(int rows, int[] starts, long seed) {
        this.loader = DataLoader.builder(new RowIndices(rows)).shuffle(seed).build();
        this.starts = starts.clone();
    }

    /** The global row numbers in the order epoch {@code epoch} (from 0) visits them. */
    int[] permutation(int epoch) {
        return loader.order(epoch);
    }

    /**
     * The rows {@code order[from..to)} as local row numbers of each partition, in order:
     * element {@code p} lists those held by partition {@code p}.
     */
    int[][] split(int[] order, int from, int to) {
        IntArrayList[] local = new IntArrayList[starts.length];
        for (int p = 0; p < local.length; p++) {
            local[p] = new IntArrayList();
        }
        for (int i = from; i < to; i++) {
            int p = partitionOf(order[i]);
            local[p].add(order[i] - starts[p]);
        }
        int[][] out = new int[local.length][];
        for (int p = 0; p < out.length; p++) {
            out[p] = local[p].toIntArray();
        }
        return out;
    }

    /** The last partition whose first row is at or before {@code row} (empty partitions share a start). */
    private int partitionOf(int row) {
        int i = Arrays.binarySearch(starts, row);
        if (i < 0) {
            return -i - 2;
        }
        while (i + 1 < starts.length && starts[i + 1] == row) {
            i++;
        }
        return i;
    }

    /** The row numbers as a data set: all {@link DataLoader#order} needs of it is its size. */
    private record RowIndices(int size) implements Dataset {
        /** Example {@code index}: its own number as the only feature, and no class (label 0). */
        @Override
        public Example get(int index) {
            return Example.labeled(Tensor.scalar(index), 0);
        }
    }
}
