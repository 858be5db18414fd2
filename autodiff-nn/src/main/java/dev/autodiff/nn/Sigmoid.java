package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** The logistic function {@code 1 / (1 + e^-x)} elementwise, as {@code torch.nn.Sigmoid}. */
public final class Sigmoid extends Module {
    /** A sigmoid activation. */
    public Sigmoid() {}

    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
