package dev.autodiff.spark;

import java.util.Arrays;

/** A choice spelled by a label in params and model metadata ({@code leaky_relu}, {@code warmup-cosine}). */
interface Labeled {
    /** The spelling. */
    String label();

    /** The constant of {@code type} spelled {@code label}; {@code what} names the param in the message. */
    static <E extends Enum<E> & Labeled> E parse(Class<E> type, String what, String label) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(label)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + label + "'; expected one of "
                + String.join(", ", labels(type)));
    }

    /** Every spelling of {@code type}. */
    static <E extends Enum<E> & Labeled> String[] labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Labeled::label).toArray(String[]::new);
    }
}
