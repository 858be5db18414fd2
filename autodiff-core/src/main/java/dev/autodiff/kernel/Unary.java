package dev.autodiff.kernel;

/**
 * The elementwise functions of one argument that every {@link Kernels} implementation
 * computes, together with their derivatives (see {@link Kernels#unaryBackward}).
 * {@code LEAKY_RELU} reads its negative slope, {@code POW} its exponent and {@code ELU}
 * its {@code alpha} from the {@code param} argument; the others ignore it.
 */
public enum Unary {
    NEG, ABS, EXP, LOG, SQRT, POW, ERF,
    RELU, LEAKY_RELU, SIGMOID, TANH,
    /** Exact GELU, {@code x * Φ(x)} with the normal CDF written through erf (PyTorch's default). */
    GELU,
    /** {@code log(1 + e^x)}, computed without overflow for large x. */
    SOFTPLUS,
    /** {@code x * sigmoid(x)}, also called swish. */
    SILU,
    SIN, COS,
    /** {@code log(1 + x)}, accurate for small x. */
    LOG1P,
    /** {@code e^x - 1}, accurate for small x. */
    EXPM1,
    /** {@code 1 / sqrt(x)}, as the float division of 1 by the float square root. */
    RSQRT,
    /** {@code x} where positive, else {@code alpha·(e^x - 1)}, with {@code alpha} the parameter. */
    ELU
}
