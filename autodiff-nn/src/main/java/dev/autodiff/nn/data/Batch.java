package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

/**
 * One batch from a {@link DataLoader}: the features {@code x} of shape {@code [B, ...]} and
 * either integer class labels or float targets {@code y} of shape {@code [B, ...]}. A batch
 * from a loader shares its arrays with the next batch of the same size: it is valid until
 * the next one is requested.
 *
 * @param x features, one row per example
 * @param labels class labels, or null when the dataset has float targets
 * @param y float targets, or null when the dataset has labels
 */
public record Batch(Tensor x, int[] labels, Tensor y) {
    /** Checks that exactly one of {@code labels} and {@code y} is given and that its length matches {@code x}. */
    public Batch {
        if (x.rank() == 0 || (labels == null) == (y == null)) {
            throw new IllegalArgumentException("Batch: needs features of rank >= 1 and exactly one of labels and targets");
        }
        int rows = labels != null ? labels.length : y.shape(0);
        if (rows != x.shape(0)) {
            throw new IllegalArgumentException("Batch: " + x.shape(0) + " rows of features but " + rows + " labels or targets");
        }
    }

    /** The number of examples. */
    public int size() {
        return x.shape(0);
    }

    /** The class labels. */
    @Override
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("Batch.labels: this batch has float targets; use y()");
        }
        return labels;
    }

    /** The float targets. */
    @Override
    public Tensor y() {
        if (y == null) {
            throw new IllegalStateException("Batch.y: this batch has integer labels; use labels()");
        }
        return y;
    }
}
