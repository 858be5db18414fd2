package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Arrays;

/**
 * One batch from a {@link DataLoader}: the features {@code x} of shape {@code [B, ...]} and
 * either integer class labels or float targets {@code y} of shape {@code [B, ...]}.
 *
 * <p>A batch owns its arrays, unless its loader was built with
 * {@link DataLoader.Builder#reuseBuffers}: then it is valid until the loader refills its
 * arrays with a later batch, and using it afterwards throws an
 * {@link IllegalStateException}; {@link #copy()} keeps one longer.
 */
public final class Batch {
    private final Tensor x;
    private final int[] labels;
    private final Tensor y;
    /** The buffers of a loader that reuses them, or null when the batch owns its arrays. */
    private final Buffers buffers;
    /** The fill of {@link #buffers} this batch is. */
    private final long fill;

    /**
     * The arrays of a loader that reuses them for one batch after another; each batch
     * remembers which fill it is, and is stale once a later one happened.
     */
    static final class Buffers {
        private long fills;

        /** Counts a new fill of the arrays and returns its number. */
        long refill() {
            return ++fills;
        }
    }

    /**
     * A batch that owns the given arrays. Exactly one of {@code labels} and {@code y} is
     * given, and its length matches {@code x}.
     *
     * @param x features, one row per example
     * @param labels class labels, or null when the batch has float targets
     * @param y float targets, or null when the batch has labels
     */
    public Batch(Tensor x, int[] labels, Tensor y) {
        this(x, labels, y, null, 0);
    }

    Batch(Tensor x, int[] labels, Tensor y, Buffers buffers, long fill) {
        if (x.rank() == 0 || (labels == null) == (y == null)) {
            throw new IllegalArgumentException("Batch: needs features of rank >= 1 and exactly one of labels and targets");
        }
        int rows = labels != null ? labels.length : y.shape(0);
        if (rows != x.shape(0)) {
            throw new IllegalArgumentException("Batch: " + x.shape(0) + " rows of features but " + rows + " labels or targets");
        }
        this.x = x;
        this.labels = labels;
        this.y = y;
        this.buffers = buffers;
        this.fill = fill;
    }

    /** The features, one row per example. */
    public Tensor x() {
        checkCurrent("x");
        return x;
    }

    /** The class labels. */
    public int[] labels() {
        checkCurrent("labels");
        if (labels == null) {
            throw new IllegalStateException("Batch.labels: this batch has float targets; use y()");
        }
        return labels;
    }

    /** The float targets. */
    public Tensor y() {
        checkCurrent("y");
        if (y == null) {
            throw new IllegalStateException("Batch.y: this batch has integer labels; use labels()");
        }
        return y;
    }

    /** Whether the batch has class labels rather than float targets. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The number of examples. */
    public int size() {
        return x.shape(0);
    }

    /** A batch with copies of these arrays, its own however the loader goes on. */
    public Batch copy() {
        checkCurrent("copy");
        return new Batch(Tensor.of(x.toArray(), x.shape()), labels == null ? null : labels.clone(),
                y == null ? null : Tensor.of(y.toArray(), y.shape()));
    }

    private void checkCurrent(String accessor) {
        if (buffers != null && buffers.fills != fill) {
            throw new IllegalStateException("Batch." + accessor + ": this batch is stale: its DataLoader was built with "
                    + "reuseBuffers(true), and its arrays now hold a later batch. Use each batch before asking for the "
                    + "next one, keep a copy (batch.copy()), or leave reuseBuffers off so that every batch owns its data");
        }
    }

    @Override
    public String toString() {
        return "Batch of " + size() + ", x " + Arrays.toString(x.shape())
                + (labels != null ? ", labels" : ", y " + Arrays.toString(y.shape()));
    }
}
