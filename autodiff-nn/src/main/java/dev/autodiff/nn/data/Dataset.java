package dev.autodiff.nn.data;

/**
 * A finite, indexed collection of examples for training: each example has float features of
 * one fixed shape and either an integer class label or a float target of one fixed shape.
 * Access copies into caller-owned arrays, so that a {@link DataLoader} can fill one batch
 * buffer without allocating per example.
 */
public interface Dataset {
    /** The number of examples. */
    int size();

    /** The shape of one example's features (a copy). */
    int[] featureShape();

    /** Whether examples carry integer class labels ({@link #label}) rather than float targets ({@link #copyTarget}). */
    boolean hasLabels();

    /** The shape of one example's float target (a copy); empty for datasets with labels. */
    int[] targetShape();

    /** Copies the features of example {@code index} into {@code dst} from {@code offset}, in row-major order. */
    void copyFeatures(int index, float[] dst, int offset);

    /** The class label of example {@code index}; only for datasets with labels. */
    int label(int index);

    /** Copies the float target of example {@code index} into {@code dst} from {@code offset}; only for datasets with targets. */
    void copyTarget(int index, float[] dst, int offset);
}
