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
 * <p>Every batch owns its arrays, as in PyTorch: batches can be kept in a list, and the
 * losses of several summed before one backward pass. A training loop that uses each batch
 * before asking for the next can opt in to {@linkplain Builder#reuseBuffers reusing one set
 * of arrays} instead; a batch used after its arrays were refilled then throws an
 * {@link IllegalStateException}, and a backward pass through a refilled batch fails.
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
    private final boolean reuseBuffers;
    private int epoch;

    private DataLoader(Builder builder) {
        this.dataset = builder.dataset;
        this.batchSize = builder.batchSize;
        this.shuffle = builder.shuffle;
        this.seed = builder.seed;
        this.dropLast = builder.dropLast;
        this.reuseBuffers = builder.reuseBuffers;
    }

    /** Starts configuring a loader over {@code dataset}: batch size 1, in order, last batch kept, batches that own their arrays. */
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
        private boolean reuseBuffers;

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

        /**
         * Whether the batches of an epoch share one set of arrays (two, with a smaller last
         * batch), refilled for each batch, instead of owning theirs: less work for the
         * memory manager in a loop that uses each batch before asking for the next. Only
         * the newest batch is valid then; an older one throws an
         * {@link IllegalStateException} when used. Off by default.
         */
        public Builder reuseBuffers(boolean reuseBuffers) {
            this.reuseBuffers = reuseBuffers;
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

    /** One pass over the data; with reused buffers, it holds them. */
    private final class Epoch implements Iterator<Batch> {
        private final int[] order;
        private final int batches = batchesPerEpoch();
        /** The shapes of one example, asked once per epoch (an empty epoch has none to ask). */
        private final int[] featureShape;
        private final boolean labeled;
        private final int[] targetShape;
        private int next;
        private BatchArrays full;
        private BatchArrays last;

        Epoch(int[] order) {
            this.order = order;
            this.featureShape = batches > 0 ? dataset.featureShape() : null;
            this.labeled = batches > 0 && dataset.hasLabels();
            this.targetShape = batches > 0 && !labeled ? dataset.targetShape() : null;
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
            next++;
            if (!reuseBuffers) {
                return new BatchArrays(rows).fill(start).owned();
            }
            BatchArrays arrays;
            if (rows == batchSize) {
                arrays = full = full != null ? full : new BatchArrays(rows);
            } else {
                arrays = last = last != null ? last : new BatchArrays(rows);
            }
            return arrays.fill(start).lent();
        }

        /** The arrays of one batch. */
        private final class BatchArrays {
            private final int rows;
            private final Tensor x;
            private final int[] labels;
            private final Tensor y;
            private final Batch.Buffers buffers = new Batch.Buffers();

            BatchArrays(int rows) {
                this.rows = rows;
                this.x = Tensor.zeros(prepend(rows, featureShape));
                this.labels = labeled ? new int[rows] : null;
                this.y = labeled ? null : Tensor.zeros(prepend(rows, targetShape));
            }

            /** Copies the examples {@code order[start ...]} in (each a counted in-place write). */
            BatchArrays fill(int start) {
                x.writeInPlace(values -> {
                    int size = values.length / rows;
                    for (int r = 0; r < rows; r++) {
                        dataset.copyFeatures(order[start + r], values, r * size);
                    }
                });
                if (labels != null) {
                    for (int r = 0; r < rows; r++) {
                        labels[r] = dataset.label(order[start + r]);
                    }
                } else {
                    y.writeInPlace(values -> {
                        int size = values.length / rows;
                        for (int r = 0; r < rows; r++) {
                            dataset.copyTarget(order[start + r], values, r * size);
                        }
                    });
                }
                return this;
            }

            Batch owned() {
                return new Batch(x, labels, y);
            }

            /** The batch these arrays hold now, valid until they are filled again. */
            Batch lent() {
                return new Batch(x, labels, y, buffers, buffers.refill());
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
