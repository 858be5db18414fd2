package dev.autodiff.examples;

import dev.autodiff.Tensor;

/** Plain gradient descent for the examples that show the engine without {@code autodiff-nn}: {@code p -= lr · ∇p}. */
final class GradientDescent {
    private GradientDescent() {}

    /** Updates each parameter in place from its gradient, then clears the gradient. */
    static void step(float lr, Tensor... parameters) {
        for (Tensor p : parameters) {
            p.addInPlace(p.grad(), -lr);
            p.zeroGrad();
        }
    }
}
