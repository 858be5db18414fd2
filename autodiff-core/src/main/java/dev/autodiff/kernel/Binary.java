package dev.autodiff.kernel;

/**
 * The elementwise functions of two arguments, broadcast NumPy-style by
 * {@link Kernels#binary}. The comparisons yield 1 where they hold and 0 elsewhere.
 */
public enum Binary {
    ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, GREATER, EQUAL, GREATER_EQUAL
}
