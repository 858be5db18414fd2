package dev.autodiff.nn;

import dev.autodiff.Tensor;

/**
 * Counts of (actual, predicted) class pairs accumulated over batches, with the accuracy
 * and per-class precision and recall they give. Row = actual class, column = predicted.
 */
public final class ConfusionMatrix {
    private final int classes;
    private final long[] counts;

    /** An empty matrix for {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("ConfusionMatrix: classes must be positive, got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** Adds the arg-max predictions of {@code logits [N, C]} against the labels. */
    public void add(Tensor logits, int[] labels) {
        add(labels, Metrics.predictions(logits, labels.length));
    }

    /** Adds pairs of actual and predicted classes. */
    public void add(int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("ConfusionMatrix: " + actual.length + " labels and " + predicted.length
                    + " predictions");
        }
        for (int i = 0; i < actual.length; i++) {
            counts[checked(actual[i], i) * classes + checked(predicted[i], i)]++;
        }
    }

    private int checked(int label, int index) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("ConfusionMatrix: class " + label + " at index " + index
                    + " is out of range for " + classes + " classes");
        }
        return label;
    }

    /** How often class {@code actual} was predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[checked(actual, 0) * classes + checked(predicted, 0)];
    }

    /** The number of pairs added. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** The fraction of pairs on the diagonal. */
    public double accuracy() {
        long diagonal = 0;
        for (int c = 0; c < classes; c++) {
            diagonal += counts[c * classes + c];
        }
        return (double) diagonal / total();
    }

    /** Of the pairs predicted as class {@code c}, the fraction that were {@code c} (NaN if none). */
    public double precision(int c) {
        long predicted = 0;
        for (int a = 0; a < classes; a++) {
            predicted += counts[a * classes + checked(c, 0)];
        }
        return (double) counts[c * classes + c] / predicted;
    }

    /** Of the pairs of actual class {@code c}, the fraction predicted as {@code c} (NaN if none). */
    public double recall(int c) {
        long actual = 0;
        for (int p = 0; p < classes; p++) {
            actual += counts[checked(c, 0) * classes + p];
        }
        return (double) counts[c * classes + c] / actual;
    }

    /** The counts as a table, one row per actual class. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("actual \\ predicted");
        for (int a = 0; a < classes; a++) {
            sb.append('\n');
            for (int p = 0; p < classes; p++) {
                sb.append(p == 0 ? "" : " ").append(counts[a * classes + p]);
            }
        }
        return sb.toString();
    }
}
