package dev.autodiff.nn;

import dev.autodiff.Tensor;

import java.util.Arrays;

/** Merges the axes {@code startDim..endDim} into one, as {@code torch.nn.Flatten} (default 1 to -1). */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens everything but the batch axis. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens axes {@code startDim} to {@code endDim} inclusive; negative axes count from the end. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        int rank = x.rank();
        int start = startDim < 0 ? startDim + rank : startDim;
        int end = endDim < 0 ? endDim + rank : endDim;
        if (start < 0 || end >= rank || start > end) {
            throw new IllegalArgumentException("Flatten: axes " + startDim + ".." + endDim + " do not fit shape "
                    + Arrays.toString(x.shape()));
        }
        int[] shape = x.shape();
        int[] out = new int[rank - (end - start)];
        System.arraycopy(shape, 0, out, 0, start);
        out[start] = 1;
        for (int d = start; d <= end; d++) {
            out[start] *= shape[d];
        }
        System.arraycopy(shape, end + 1, out, start + 1, rank - end - 1);
        return x.reshape(out);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
