package dev.autodiff;

/** Checks of integer class labels, with messages that name the op, the label and its position. */
final class Labels {
    private Labels() {}

    static void check(String op, int[] labels, int index, int classes) {
        int label = labels[index];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException(op + ": label " + label + " at index " + index
                    + " is out of range for " + classes + " classes");
        }
    }
}
