package dev.autodiff.kernel;

/**
 * The elementwise functions of one argument that every {@link Kernels} implementation
 * computes, together with their derivatives (see {@link Kernels#unaryBackward}).
 * {@code LEAKY_RELU} reads its negative slope, and {@code POW} its exponent, from the
 * {@code param} argument; the others ignore it.
 */
public enum Unary {
    NEG, ABS, EXP, LOG, SQRT, POW, ERF,
    RELU, LEAKY_RELU, SIGMOID, TANH,
    /** Exact GELU, {@code x * Φ(x)} with the normal CDF written through erf (PyTorch's default). */
    GELU,
    /** {@code log(1 + e^x)}, computed without overflow for large x. */
    SOFTPLUS,
    /** {@code x * sigmoid(x)}, also called swish. */
    SILU
}
