package dev.autodiff.nn;

import java.util.Arrays;
import java.util.List;

/**
 * A constant spelled by a short lower-case label in configuration: an option's value, a
 * Spark param, a checkpoint's metadata ({@code leaky_relu}, {@code adamw},
 * {@code warmup-cosine}). {@link Activation}, {@link dev.autodiff.nn.optim.OptimizerKind}
 * and {@link dev.autodiff.nn.optim.SchedulePreset} implement it; the static methods list
 * and read the labels of any such enum.
 */
public interface Labeled {
    /** The spelling of this constant. */
    String label();

    /** Every label of {@code type}, in the order of its constants. */
    static <E extends Enum<E> & Labeled> List<String> labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Labeled::label).toList();
    }

    /**
     * The constant of {@code type} spelled exactly {@code label}; otherwise an
     * {@link IllegalArgumentException} naming {@code what} (such as {@code "activation"}) and
     * listing the labels.
     */
    static <E extends Enum<E> & Labeled> E parse(Class<E> type, String what, String label) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(label)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + label + "'; expected one of "
                + String.join(", ", labels(type)));
    }
}
