package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** {@code x·sigmoid(x)} elementwise (swish), as {@code torch.nn.SiLU}. */
public final class SiLU extends Module {
    /** A SiLU activation. */
    public SiLU() {}

    @Override
    public Tensor forward(Tensor x) {
        return x.silu();
    }
}
