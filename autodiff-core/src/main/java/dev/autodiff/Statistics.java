package dev.autodiff;

import dev.autodiff.kernel.Unary;

/**
 * Variance, standard deviation and vector norms over axes, as compositions of the
 * primitives, and the one primitive they add: a power of a non-negative value whose
 * derivative is taken as 0 where the value is 0, which gives {@code std} and {@code norm}
 * PyTorch's zero subgradient where the result is 0 instead of NaN.
 */
final class Statistics {
    private Statistics() {}

    /** {@code Σ (x - mean)² / max(0, N - correction)} over the axes. */
    static Tensor var(Tensor x, int[] axes, int correction, boolean keepDims) {
        int[] ax = Shapes.axes("var", axes, x.rank());
        long n = 1;
        for (int a : ax) {
            n *= x.shape[a];
        }
        Tensor centered = x.sub(x.mean(ax, true));
        return centered.square().sum(ax, keepDims).div(Math.max(0, n - correction));
    }

    static Tensor std(Tensor x, int[] axes, int correction, boolean keepDims) {
        return rootOf(var(x, axes, correction, keepDims), 0.5f);
    }

    static Tensor norm(Tensor x, float p, int[] axes, boolean keepDims) {
        if (p == 2f) {
            return rootOf(x.square().sum(axes, keepDims), 0.5f);
        } else if (p == 1f) {
            return x.abs().sum(axes, keepDims);
        } else if (p == Float.POSITIVE_INFINITY) {
            return x.abs().max(axes, keepDims);
        } else if (p == Float.NEGATIVE_INFINITY) {
            return x.abs().min(axes, keepDims);
        } else if (p == 0f) {
            return x.ne(0f).sum(axes, keepDims);
        } else if (p > 1f && p < Float.POSITIVE_INFINITY) {
            return rootOf(x.abs().pow(p).sum(axes, keepDims), 1f / p);
        }
        throw new IllegalArgumentException("norm: p = " + p + " is not 0, a number >= 1, or an infinity");
    }

    /** {@code u^q} for {@code u >= 0}, with derivative {@code q·u^(q-1)} where u > 0 and 0 where u = 0. */
    private static Tensor rootOf(Tensor u, float q) {
        Tensor out;
        if (Batching.any(u)) {
            out = Batching.apply("rootOf", u, f -> rootOf(f.x(0), q));
        } else {
            out = Trace.output(u.shape, u);
            Tensor.kernels().unary(Unary.POW, q, u.data(), out.data(), out.size());
        }
        return Trace.record("rootOf", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.mul(slope())};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].mul(slope());
            }

            /** {@code q·u^(q-1)}, 0 where u = 0; u is replaced by 1 there so that no infinity enters a higher derivative. */
            private Tensor slope() {
                Tensor zero = u.eq(0f);
                return Tensor.where(zero, 0f, Tensor.where(zero, 1f, u).pow(q - 1f).mul(q));
            }
        }, u);
    }
}
