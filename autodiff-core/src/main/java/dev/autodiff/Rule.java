package dev.autodiff;

/**
 * The derivative of one recorded application of a primitive: its vector-Jacobian
 * product (reverse mode) and its Jacobian-vector product (forward mode). Both are
 * written with tensor operations, so they are themselves differentiable.
 */
interface Rule {

    /**
     * The cotangent of each input given the output's cotangent; {@code null} stands for
     * zero, and may be returned for an input that does not require a gradient.
     */
    Tensor[] vjp(Tensor cotangent);

    /**
     * The output's tangent given each input's tangent ({@code null} for a symbolic zero,
     * and never all null); {@code null} means the output's tangent is zero.
     */
    Tensor jvp(Tensor[] tangents);
}
