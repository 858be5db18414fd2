package com.example;

import dev.autodiff.AD;
import dev.autodiff.KernelInfo;
import dev.autodiff.Tensor;

/** The gradient of {@code sum(tanh(w·x))} with respect to {@code w}, on whatever kernels serve. */
public final class Gradients {
    private Gradients() {}

    /** {@code d/dw sum(tanh(w ⊙ x)) = x ⊙ (1 - tanh²(w ⊙ x))}. */
    public static Tensor gradient(Tensor w, Tensor x) {
        return AD.grad(v -> v.mul(x).tanh().sum()).apply(w);
    }

    public static void main(String[] args) {
        System.out.println(KernelInfo.active());
        System.out.println(gradient(Tensor.vector(0.5f, -1f), Tensor.vector(2f, 3f)));
    }
}
