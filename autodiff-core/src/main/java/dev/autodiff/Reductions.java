package dev.autodiff;

import dev.autodiff.kernel.Reduce;

/**
 * The reduction primitives (sum, max and prod over axes) with their rules, the compositions
 * on them (mean, min), argmax and argmin along an axis, and the running sum along an axis.
 * Batched (under {@link AD#vmap}), each reduces or scans the same axes, shifted past the
 * batch axis.
 */
final class Reductions {
    private Reductions() {}

    static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("sum", axes, x.rank());
        int[] kept = Shapes.reduced(x.shape, ax, true);
        Tensor out = Batching.any(x) ? batched("sum", x, ax, (p, pax) -> sum(p, pax, keepDims))
                : reduce(Reductions::sumKernel, x, ax, Shapes.reduced(x.shape, ax, keepDims));
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

    /** {@code -max(-x)}: exact, since negation is, with the same NaN rule and tie sharing. */
    static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        return max(x.neg(), axes, keepDims).neg();
    }

    static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("max", axes, x.rank());
        for (int a : ax) {
            if (x.shape[a] == 0) {
                throw new IllegalArgumentException("max: axis " + a + " of shape " + Shapes.str(x.shape) + " is empty");
            }
        }
        int[] kept = Shapes.reduced(x.shape, ax, true);
        Tensor out = Batching.any(x) ? batched("max", x, ax, (p, pax) -> max(p, pax, keepDims))
                : reduce(Reductions::maxKernel, x, ax, Shapes.reduced(x.shape, ax, keepDims));
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
                    // a view reads the values without keeping them from the arena; a batched result has no array of its own
                    Tensor hits = x.eq(Batching.any(out) ? out.detach().reshape(kept) : out.view(kept));
                    share = hits.div(hits.sum(ax, true));
                }
                return share;
            }
        }, x);
    }

    /**
     * The product over axes. Its derivative with respect to an element is the product of
     * the other elements of its slice, computed so that zeros are exact, as in PyTorch:
     * {@code prod/x} in a slice without zeros; in a slice with one zero, the product of the
     * nonzero elements at the zero and 0 elsewhere; with more zeros, 0. The rule is built
     * from recorded operations, so second derivatives are exact too (and higher ones where a
     * slice has at most one zero).
     */
    static Tensor prod(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("prod", axes, x.rank());
        int[] kept = Shapes.reduced(x.shape, ax, true);
        Tensor out = Batching.any(x) ? batched("prod", x, ax, (p, pax) -> prod(p, pax, keepDims))
                : reduce(Reductions::productKernel, x, ax, Shapes.reduced(x.shape, ax, keepDims));
        return Trace.record("prod", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.reshape(kept).mul(productOfOthers(x, ax))};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].mul(productOfOthers(x, ax)).sum(ax, keepDims);
            }
        }, x);
    }

    /**
     * The batching rule of a reduction over the axes {@code ax}: {@code same}, the reduction
     * itself, over those axes of the stacked examples. The reduction of a scalar over no
     * axes is a copy (no axes would mean every axis, the batch axis too).
     */
    private static Tensor batched(String op, Tensor x, int[] ax, java.util.function.BiFunction<Tensor, int[], Tensor> same) {
        return Batching.apply(op, x, f -> ax.length == 0 ? Movement.copy(f.x(0)) : same.apply(f.x(0), f.axes(0, ax)));
    }

    /**
     * For each element, the product of the other elements of its slice: the product of the
     * slice's nonzero elements other than it, times the product of the slice's other zeros.
     * The latter is 0 or 1 in value, and is written so that its first derivative is exact
     * too: 1 without other zeros, the sum of the other zero elements (0, with derivative 1
     * for each) with one, and 0 with more.
     */
    private static Tensor productOfOthers(Tensor x, int[] ax) {
        Tensor zero = x.eq(0f);
        Tensor safe = Tensor.where(zero, 1f, x);
        Tensor nonzeroProduct = safe.prod(ax, true);
        Tensor otherZeros = zero.sum(ax, true).sub(zero);
        Tensor zeroElements = x.mul(zero);
        Tensor otherZeroSum = zeroElements.sum(ax, true).sub(zeroElements);
        Tensor zeroFactor = Tensor.where(otherZeros.eq(0f), 1f, Tensor.where(otherZeros.eq(1f), otherZeroSum, 0f));
        return nonzeroProduct.div(safe).mul(zeroFactor);
    }

    /** One reduction of the middle axis of {@code x} viewed as {@code [outer, axis, inner]} into {@code [outer, inner]}. */
    @FunctionalInterface
    private interface Kernel {
        void reduce(float[] x, int outer, int axis, int inner, float[] out);
    }

    private static void sumKernel(float[] x, int outer, int axis, int inner, float[] out) {
        Tensor.kernels().reduce(Reduce.SUM, x, outer, axis, inner, out);
    }

    private static void maxKernel(float[] x, int outer, int axis, int inner, float[] out) {
        Tensor.kernels().reduce(Reduce.MAX, x, outer, axis, inner, out);
    }

    /** Products accumulated in double in index order, as the sums are; the empty product is 1. */
    private static void productKernel(float[] x, int outer, int axis, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double p = 1;
                for (int a = 0, i = o * axis * inner + in; a < axis; a++, i += inner) {
                    p *= x[i];
                }
                out[o * inner + in] = (float) p;
            }
        }
    }

    /**
     * Reduces the sorted axes into a new tensor of {@code shape}, merging runs of adjacent
     * axes into one kernel call over an {@code [outer, axis, inner]} view.
     */
    private static Tensor reduce(Kernel kernel, Tensor x, int[] axes, int[] shape) {
        Tensor out = Trace.output(shape, x);
        float[] current = x.data();
        if (axes.length == 0) {
            System.arraycopy(current, 0, out.data(), 0, current.length);
            return out;
        }
        int[] left = x.shape.clone();
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
                outer *= left[d];
            }
            int axis = 1;
            for (int d = first; d <= last; d++) {
                axis *= left[d];
                left[d] = 1;
            }
            int inner = 1;
            for (int d = last + 1; d < left.length; d++) {
                inner *= left[d];
            }
            float[] next = i < 0 ? out.data() : new float[outer * inner];
            kernel.reduce(current, outer, axis, inner, next);
            current = next;
        }
        return out;
    }

    /** The largest axis length whose indices a float32 holds exactly. */
    private static final int MAX_FLOAT_INDEX = 1 << 24;

    /**
     * The index of the largest (or smallest) value along an axis, the first on ties; a NaN
     * counts as the extreme, as in PyTorch. A scalar gives 0 for axis 0 or -1.
     */
    static Tensor argExtreme(String op, Tensor x, int axis, boolean keepDims, boolean largest) {
        if (x.rank() == 0) {
            Shapes.axis(op, axis, 1);
            return Tensor.scalar(0f);
        }
        int a = Shapes.axis(op, axis, x.rank());
        int[] o = Movement.around(x.shape, a);
        int n = o[1];
        int inner = o[2];
        if (n == 0 || n > MAX_FLOAT_INDEX) {
            throw new IllegalArgumentException(op + ": axis " + a + " of shape " + Shapes.str(x.shape)
                    + (n == 0 ? " is empty" : " is longer than 2^24, whose indices float32 cannot hold"));
        }
        if (Batching.any(x)) {
            return Batching.apply(op, x, f -> argExtreme(op, f.x(0), f.axis(0, a), keepDims, largest));
        }
        float[] out = new float[o[0] * inner];
        for (int b = 0; b < o[0]; b++) {
            for (int in = 0; in < inner; in++) {
                int base = b * n * inner + in;
                int best = 0;
                float bestValue = x.data()[base];
                for (int j = 1; j < n && bestValue == bestValue; j++) {
                    float v = x.data()[base + j * inner];
                    if (v != v || (largest ? v > bestValue : v < bestValue)) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[b * inner + in] = best;
            }
        }
        return new Tensor(out, Shapes.reduced(x.shape, new int[] {a}, keepDims));
    }

    /**
     * Running sums along an axis, each accumulated in double. The VJP sums the cotangent
     * from the end: {@code flip(cumsum(flip(g)))}.
     */
    static Tensor cumsum(Tensor x, int axis) {
        int a = Shapes.axis("cumsum", axis, x.rank());
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("cumsum", x, f -> cumsum(f.x(0), f.axis(0, a)));
        } else {
            int[] o = Movement.around(x.shape, a);
            int n = o[1];
            int inner = o[2];
            float[] xValues = x.data();
            float[] values = new float[xValues.length];
            for (int b = 0; b < o[0]; b++) {
                for (int in = 0; in < inner; in++) {
                    double s = 0;
                    for (int j = 0, i = b * n * inner + in; j < n; j++, i += inner) {
                        s += xValues[i];
                        values[i] = (float) s;
                    }
                }
            }
            out = new Tensor(values, x.shape);
        }
        return Trace.record("cumsum", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.flip(a).cumsum(a).flip(a)};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].cumsum(a);
            }
        }, x);
    }
}
