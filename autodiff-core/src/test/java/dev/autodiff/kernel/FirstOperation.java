package dev.autodiff.kernel;

import dev.autodiff.KernelInfo;
import dev.autodiff.Tensor;

/** A program whose first operation chooses the kernels, for tests that start it in a fresh JVM. */
final class FirstOperation {
    private FirstOperation() {}

    public static void main(String[] args) {
        Tensor.ones(3).add(Tensor.ones(3));
        System.out.println(KernelInfo.active());
    }
}
