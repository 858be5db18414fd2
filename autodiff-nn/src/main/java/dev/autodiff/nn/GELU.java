package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** The exact GELU {@code x·Φ(x)} elementwise, as {@code torch.nn.GELU()} (approximate='none'). */
public final class GELU extends Module {
    /** A GELU activation. */
    public GELU() {}

    @Override
    public Tensor forward(Tensor x) {
        return x.gelu();
    }

    @Override
    protected String extraRepr() {
        return "approximate='none'";
    }
}
