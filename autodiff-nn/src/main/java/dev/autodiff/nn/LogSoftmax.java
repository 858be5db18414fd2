package dev.autodiff.nn;

import dev.autodiff.Tensor;

/** The log of the softmax along one axis, as {@code torch.nn.LogSoftmax(dim)}. */
public final class LogSoftmax extends Module {
    private final int dim;

    /** Along axis {@code dim} (negative counts from the end). */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
