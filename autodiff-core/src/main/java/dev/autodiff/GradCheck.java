package dev.autodiff;

import java.util.SplittableRandom;

/**
 * Checks the derivatives of a function of tensors numerically, for tests of built-in
 * and custom ops. {@link #check} compares the VJP with central finite differences;
 * {@link #checkJvpVjp} checks the identity {@code <J t, c> = <t, Jᵀ c>} between forward
 * and reverse mode and the JVP against finite differences. The default tolerances
 * suit float32.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Tolerances of a check: an element passes when
     * {@code |analytic - numeric| <= absolute + relative · max(|analytic|, |numeric|)}.
     * {@code step} is the finite-difference step, scaled by {@code max(1, |x|)}.
     */
    public record Tolerance(double step, double absolute, double relative) {
        /** Defaults that suit float32: step 1e-2, 1e-3 absolute, 1e-2 relative. */
        public static final Tolerance FLOAT32 = new Tolerance(1e-2, 1e-3, 1e-2);
    }

    /** The outcome of a check: the worst element found and whether all passed. */
    public record Result(boolean passed, double maxAbsoluteError, String worst) {
        /** Throws an {@link AssertionError} that describes the worst element unless the check passed. */
        public void assertPassed() {
            if (!passed) {
                throw new AssertionError("gradient check failed: " + worst);
            }
        }
    }

    /** {@link #check(Tolerance, AD.Fn, Tensor...)} with float32 tolerances. */
    public static Result check(AD.Fn f, Tensor... inputs) {
        return check(Tolerance.FLOAT32, f, inputs);
    }

    /**
     * Compares the gradient of {@code <c, f(x)>}, for a fixed random {@code c}, from the VJP
     * with central differences of f, for every element of every input.
     */
    public static Result check(Tolerance tol, AD.Fn f, Tensor... inputs) {
        Tensor[] x = detached(inputs);
        Tensor y = f.apply(x);
        Tensor c = randomLike(y, 7);
        Tensor[] analytic = AD.vjp(f, x).pullback().apply(c);
        Worst worst = new Worst(tol);
        for (int i = 0; i < x.length; i++) {
            float[] values = x[i].data;
            for (int j = 0; j < values.length; j++) {
                float original = values[j];
                double h = tol.step() * Math.max(1.0, Math.abs(original));
                values[j] = (float) (original + h);
                double plus = dot(c, f.apply(detached(x)));
                values[j] = (float) (original - h);
                double minus = dot(c, f.apply(detached(x)));
                values[j] = original;
                double hUsed = ((double) (float) (original + h) - (float) (original - h)) / 2.0;
                double numeric = (plus - minus) / (2.0 * hUsed);
                worst.offer(analytic[i].data[j], numeric, "input " + i + " element " + j);
            }
        }
        return worst.result();
    }

    /** {@link #checkJvpVjp(Tolerance, AD.Fn, Tensor...)} with float32 tolerances. */
    public static Result checkJvpVjp(AD.Fn f, Tensor... inputs) {
        return checkJvpVjp(Tolerance.FLOAT32, f, inputs);
    }

    /**
     * Checks {@code <J t, c> = <t, Jᵀ c>} for random tangents t and a random cotangent c,
     * and {@code J t} against the central difference {@code (f(x + h t) - f(x - h t)) / 2h}.
     */
    public static Result checkJvpVjp(Tolerance tol, AD.Fn f, Tensor... inputs) {
        Tensor[] x = detached(inputs);
        Tensor[] t = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            t[i] = randomLike(x[i], 11 + i);
        }
        AD.Jvp forward = AD.jvp(f, x, t);
        Tensor c = randomLike(forward.value(), 5);
        Tensor[] back = AD.vjp(f, x).pullback().apply(c);
        double left = dot(c, forward.tangent());
        double right = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            right += dot(t[i], back[i]);
            scale += absDot(t[i], back[i]);
        }
        scale = Math.max(scale, absDot(c, forward.tangent()));
        Worst worst = new Worst(tol);
        // The two inner products are sums of many terms: compare them on the scale of |terms|.
        worst.offer(left / Math.max(scale, 1e-30), right / Math.max(scale, 1e-30), "<J t, c> vs <t, J^T c> (scaled by "
                + scale + ")");
        double h = tol.step();
        Tensor plus = f.apply(shifted(x, t, h));
        Tensor minus = f.apply(shifted(x, t, -h));
        for (int j = 0; j < forward.tangent().size(); j++) {
            double numeric = ((double) plus.data[j] - minus.data[j]) / (2 * h);
            worst.offer(forward.tangent().data[j], numeric, "J t element " + j);
        }
        return worst.result();
    }

    private static final class Worst {
        private final Tolerance tol;
        private double maxError;
        private double maxExcess = Double.NEGATIVE_INFINITY;
        private String description = "no elements";

        Worst(Tolerance tol) {
            this.tol = tol;
        }

        void offer(double analytic, double numeric, String where) {
            double error = Math.abs(analytic - numeric);
            double allowed = tol.absolute() + tol.relative() * Math.max(Math.abs(analytic), Math.abs(numeric));
            double excess = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error - allowed;
            maxError = Math.max(maxError, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
            if (excess > maxExcess) {
                maxExcess = excess;
                description = where + ": analytic " + analytic + ", numeric " + numeric + ", error " + error
                        + " (allowed " + allowed + ")";
            }
        }

        Result result() {
            return new Result(maxExcess <= 0, maxError, description);
        }
    }

    private static Tensor[] detached(Tensor[] xs) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = Tensor.of(xs[i].data, xs[i].shape);
        }
        return out;
    }

    private static Tensor[] shifted(Tensor[] x, Tensor[] t, double h) {
        Tensor[] out = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] v = x[i].data.clone();
            for (int j = 0; j < v.length; j++) {
                v[j] += (float) (h * t[i].data[j]);
            }
            out[i] = new Tensor(v, x[i].shape);
        }
        return out;
    }

    private static Tensor randomLike(Tensor like, long seed) {
        return Tensor.randn(new SplittableRandom(seed), like.shape);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.data.length; i++) {
            s += (double) a.data[i] * b.data[i];
        }
        return s;
    }

    private static double absDot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.data.length; i++) {
            s += Math.abs((double) a.data[i] * b.data[i]);
        }
        return s;
    }
}
