package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** Classification metrics computed from logits (or scores) and integer labels. */
public final class Metrics {
    private Metrics() {}

    /** The fraction of rows of {@code logits [N, C]} whose largest entry is at the label. */
    public static double accuracy(Tensor logits, int[] labels) {
        return (double) correct(logits, labels) / labels.length;
    }

    /** The number of rows of {@code logits [N, C]} whose largest entry is at the label. */
    public static int correct(Tensor logits, int[] labels) {
        int[] predicted = predictions(logits, labels.length);
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                n++;
            }
        }
        return n;
    }

    /** The arg-max of each row of {@code logits [N, C]}, checked against the number of labels. */
    static int[] predictions(Tensor logits, int labels) {
        if (logits.rank() != 2 || logits.shape(0) != labels || labels == 0) {
            throw new IllegalArgumentException("accuracy: expected logits [N, C] for " + labels + " labels (N > 0), got "
                    + java.util.Arrays.toString(logits.shape()));
        }
        return logits.argmax();
    }
}
