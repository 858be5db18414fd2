package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** The hyperbolic tangent elementwise, as {@code torch.nn.Tanh}. */
public final class Tanh extends Module {
    /** A tanh activation. */
    public Tanh() {}

    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
