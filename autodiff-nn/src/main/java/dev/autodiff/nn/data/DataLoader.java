package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Iterates over a {@link Dataset} in batches, one epoch per {@link #iterator()}: in order,
 * or in a seeded random order that depends only on the seed and the epoch number, so a run
 * is reproducible and can be resumed with {@link #setEpoch}. The last, smaller batch is
 * kept unless {@code dropLast} is set.
 *
 * <p>Within an epoch the batches reuse the same arrays (one set for full batches, one for a
 * smaller last batch): <b>a batch is valid until the next one is requested</b>. Copy it
 * (for example with {@code x().toArray()}) to keep it longer.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(42).dropLast(true).build();
 * for (Batch b : loader) { ... }
 * }</pre>
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private int epoch;

    private DataLoader(Builder builder) {
        this.dataset = builder.dataset;
        this.batchSize = builder.batchSize;
        this.shuffle = builder.shuffle;
        this.seed = builder.seed;
        this.dropLast = builder.dropLast;
    }

    /** Starts configuring a loader over {@code dataset}: batch size 1, in order, last batch kept. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** The number of examples per batch. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Visits the examples in a new random order each epoch, drawn from {@code seed} and the epoch number. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Whether to skip a last batch smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The configured loader. */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** The number of batches in one epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Sets the number of the epoch that the next {@link #iterator()} runs (epochs count from 0). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.setEpoch: negative epoch " + epoch);
        }
        this.epoch = epoch;
    }

    /** The order in which epoch {@code epoch} visits the examples. */
    public int[] order(int epoch) {
        if (shuffle) {
            return Permutations.shuffled(dataset.size(), seed + epoch);
        }
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Runs the next epoch. */
    @Override
    public Iterator<Batch> iterator() {
        return new Epoch(order(epoch++));
    }

    /** One pass over the data, with its own batch buffers. */
    private final class Epoch implements Iterator<Batch> {
        private final int[] order;
        private final int batches = batchesPerEpoch();
        private int next;
        private Batch full;
        private Batch last;

        Epoch(int[] order) {
            this.order = order;
        }

        @Override
        public boolean hasNext() {
            return next < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: the epoch has ended");
            }
            int start = next * batchSize;
            int rows = Math.min(batchSize, order.length - start);
            Batch batch;
            if (rows == batchSize) {
                full = full != null ? full : allocate(rows);
                batch = full;
            } else {
                last = last != null ? last : allocate(rows);
                batch = last;
            }
            fill(batch, start, rows);
            next++;
            return batch;
        }

        private Batch allocate(int rows) {
            Tensor x = Tensor.zeros(prepend(rows, dataset.featureShape()));
            return dataset.hasLabels()
                    ? new Batch(x, new int[rows], null)
                    : new Batch(x, null, Tensor.zeros(prepend(rows, dataset.targetShape())));
        }

        private void fill(Batch batch, int start, int rows) {
            float[] x = batch.x().data();
            int featureSize = x.length / rows;
            for (int r = 0; r < rows; r++) {
                dataset.copyFeatures(order[start + r], x, r * featureSize);
            }
            if (dataset.hasLabels()) {
                int[] labels = batch.labels();
                for (int r = 0; r < rows; r++) {
                    labels[r] = dataset.label(order[start + r]);
                }
            } else {
                float[] y = batch.y().data();
                int targetSize = y.length / rows;
                for (int r = 0; r < rows; r++) {
                    dataset.copyTarget(order[start + r], y, r * targetSize);
                }
            }
        }
    }

    private static int[] prepend(int first, int[] rest) {
        int[] shape = new int[rest.length + 1];
        shape[0] = first;
        System.arraycopy(rest, 0, shape, 1, rest.length);
        return shape;
    }
}
