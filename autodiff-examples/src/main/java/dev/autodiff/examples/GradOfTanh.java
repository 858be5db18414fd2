package dev.autodiff.examples;

import dev.autodiff.AD;
import dev.autodiff.Tensor;

/** The first derivative anyone takes: {@code grad(tanh)(2.0) = 1 - tanh²(2) ≈ 0.0706508}. */
public final class GradOfTanh {
    private GradOfTanh() {}

    /** The derivative of tanh at x, by reverse mode. */
    public static float gradAt(float x) {
        return AD.grad(Tensor::tanh).apply(Tensor.scalar(x)).item();
    }

    /** Prints the derivative at 2 next to its closed form. */
    public static void main(String[] args) {
        double t = Math.tanh(2.0);
        System.out.printf("grad(tanh)(2.0) = %.7f%n", gradAt(2f));
        System.out.printf("1 - tanh(2)^2   = %.7f%n", 1 - t * t);
    }
}
