package dev.autodiff.nn.data;

import java.util.function.IntFunction;

/**
 * Checks of integer class labels, so that a stray label is reported where it is instead of
 * silently adding classes: labels number the classes {@code 0} to {@code K-1}, and every class
 * below the largest label has an example. Messages name the record through a function that
 * describes example {@code i} (such as {@code "train-labels-idx1-ubyte: record 17"}).
 */
public final class ClassLabels {
    private ClassLabels() {}

    /**
     * The number of classes {@code K} that {@code labels} number: one more than the largest,
     * when each of {@code 0..K-1} occurs. A label beyond a class that never occurs is an error
     * naming its record; so are fewer than two classes.
     */
    public static int count(int[] labels, IntFunction<String> where) {
        // K cannot exceed the number of examples, so marks for labels below it suffice.
        boolean[] present = new boolean[labels.length];
        for (int label : labels) {
            if (label >= 0 && label < present.length) {
                present[label] = true;
            }
        }
        int missing = 0;
        while (missing < present.length && present[missing]) {
            missing++;
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(where.apply(i) + ": label " + labels[i] + " is negative");
            }
            if (labels[i] > missing) {
                throw new IllegalArgumentException(where.apply(i) + ": label " + labels[i] + ", but no example has label "
                        + missing + (labels[i] > missing + 1 ? " (nor any up to " + (labels[i] - 1) + ")" : "")
                        + ": labels must number the classes 0 to K-1 without gaps");
            }
        }
        if (missing < 2) {
            throw new IllegalArgumentException((labels.length == 0 ? "no examples" : where.apply(0) + ": every label is 0")
                    + ": a classifier needs at least two classes");
        }
        return missing;
    }

    /** Checks that every label is one of the classes {@code 0..classes-1}; the first that is not is an error naming its record. */
    public static void requireBelow(int[] labels, int classes, IntFunction<String> where) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(where.apply(i) + ": label " + labels[i] + " is not one of the "
                        + classes + " classes 0 to " + (classes - 1));
            }
        }
    }
}
