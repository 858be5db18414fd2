package dev.autodiff;

import dev.autodiff.kernel.Reduce;

/** The reduction primitives (sum and max over axes) with their rules, and the compositions on them. */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("sum", axes, x.rank());
        int[] kept = Shapes.reduced(x.shape, ax, true);
        Tensor out = new Tensor(reduce(Reduce.SUM, x, ax), Shapes.reduced(x.shape, ax, keepDims));
        return Trace.record("sum", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.reshape(kept).broadcastTo(x.shape)};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].sum(ax, keepDims);
            }
        }, x);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("mean", axes, x.rank());
        long count = 1;
        for (int a : ax) {
            count *= x.shape[a];
        }
        return sum(x, ax, keepDims).mul(1f / count);
    }

    static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("max", axes, x.rank());
        for (int a : ax) {
            if (x.shape[a] == 0) {
                throw new IllegalArgumentException("max: axis " + a + " of shape " + Shapes.str(x.shape) + " is empty");
            }
        }
        int[] kept = Shapes.reduced(x.shape, ax, true);
        float[] values = reduce(Reduce.MAX, x, ax);
        Tensor out = new Tensor(values, Shapes.reduced(x.shape, ax, keepDims));
        return Trace.record("max", out, new Rule() {
            /** Each maximal element's share of the gradient (ties split it evenly); made on first use. */
            private Tensor share;

            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.reshape(kept).mul(share())};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].mul(share()).sum(ax, keepDims);
            }

            private Tensor share() {
                if (share == null) {
                    Tensor hits = x.eq(new Tensor(values, kept));
                    share = hits.div(hits.sum(ax, true));
                }
                return share;
            }
        }, x);
    }

    /**
     * Reduces the sorted axes, merging runs of adjacent axes into one kernel call over
     * an {@code [outer, axis, inner]} view.
     */
    private static float[] reduce(Reduce op, Tensor x, int[] axes) {
        float[] current = x.data;
        int[] shape = x.shape.clone();
        int i = axes.length - 1;
        while (i >= 0) {
            int last = axes[i];
            int first = last;
            while (i > 0 && axes[i - 1] == first - 1) {
                first = axes[--i];
            }
            i--;
            int outer = 1;
            for (int d = 0; d < first; d++) {
                outer *= shape[d];
            }
            int axis = 1;
            for (int d = first; d <= last; d++) {
                axis *= shape[d];
                shape[d] = 1;
            }
            int inner = 1;
            for (int d = last + 1; d < shape.length; d++) {
                inner *= shape[d];
            }
            float[] next = new float[outer * inner];
            Tensor.kernels().reduce(op, current, outer, axis, inner, next);
            current = next;
        }
        return current == x.data ? x.data.clone() : current;
    }

    static int[] argmaxLastAxis(Tensor x) {
        if (x.rank() == 0) {
            return new int[] {0};
        }
        int cols = x.shape[x.rank() - 1];
        if (cols == 0) {
            throw new IllegalArgumentException("argmax: last axis of shape " + Shapes.str(x.shape) + " is empty");
        }
        int rows = x.data.length / cols;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (x.data[r * cols + j] > x.data[r * cols + best]) {
                    best = j;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
