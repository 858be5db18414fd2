package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** The softmax along one axis, as {@code torch.nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final int dim;

    /** Along axis {@code dim} (negative counts from the end). */
    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
