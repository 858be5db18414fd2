package dev.autodiff;

/**
 * The derivative of one recorded application of a primitive: its vector-Jacobian
 * product (reverse mode) and its Jacobian-vector product (forward mode). Both are
 * written with tensor operations, so they are themselves differentiable.
 */
interface Rule {

    /**
     * The cotangent of each input given the output's cotangent. {@code null} means the
     * walk has nothing to add for that input: either its cotangent is zero (as for an input
     * that does not require a gradient), or the rule has already added it into the input's
     * gradient itself, which it may do only when {@link Autograd#writeLeafGradient} agrees
     * (MatMul writes a leaf weight's gradient straight into its array that way).
     */
    Tensor[] vjp(Tensor cotangent);

    /**
     * The output's tangent given each input's tangent ({@code null} for a symbolic zero,
     * and never all null); {@code null} means the output's tangent is zero.
     */
    Tensor jvp(Tensor[] tangents);

    /**
     * A tensor the rule saved that is neither an input nor the output (the probabilities of
     * the fused cross-entropy), or null. Its array goes back to the {@link Arena} with the
     * graph's.
     */
    default Tensor saved() {
        return null;
    }
}
