package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** {@code max(x, 0)} elementwise, as {@code torch.nn.ReLU}. */
public final class ReLU extends Module {
    /** A ReLU activation. */
    public ReLU() {}

    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
