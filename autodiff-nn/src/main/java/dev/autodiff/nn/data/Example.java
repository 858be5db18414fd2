package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Objects;

/**
 * One example of a {@link Dataset}, what {@code dataset[i]} returns in PyTorch: its
 * features and either an integer class label or a float target.
 *
 * @param x the features
 * @param label the class label; meaningful only when {@link #hasLabel()}
 * @param y the float target, or null for an example with a label
 */
public record Example(Tensor x, int label, Tensor y) {

    /** Checks the features are given and the label is not negative. */
    public Example {
        Objects.requireNonNull(x, "x");
        if (y == null && label < 0) {
            throw new IllegalArgumentException("Example: label " + label + " is negative");
        }
    }

    /** An example of a classification data set. */
    public static Example labeled(Tensor x, int label) {
        return new Example(x, label, null);
    }

    /** An example of a regression data set. */
    public static Example withTarget(Tensor x, Tensor y) {
        return new Example(x, 0, Objects.requireNonNull(y, "y"));
    }

    /** Whether this example has a class label rather than a float target. */
    public boolean hasLabel() {
        return y == null;
    }

    /** The class label. */
    @Override
    public int label() {
        if (y != null) {
            throw new IllegalStateException("Example.label: this example has a float target; use y()");
        }
        return label;
    }

    /** The float target. */
    @Override
    public Tensor y() {
        if (y == null) {
            throw new IllegalStateException("Example.y: this example has a class label; use label()");
        }
        return y;
    }
}
