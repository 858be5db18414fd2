package dev.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks the derivatives of a function of tensors numerically, for tests of built-in and
 * custom ops. {@link #check} compares the VJP with finite differences, element by element;
 * {@link #checkJvpVjp} checks the JVP against the VJP through {@code <J t, c> = <t, Jᵀ c>}
 * and against finite differences along {@code t}.
 *
 * <p>The function runs in float32, so a difference quotient carries rounding noise of
 * about {@code 2⁻²⁴·|f| / h} besides its truncation error. The checks keep both small and
 * measure what remains: central differences at steps {@code h} and {@code h/2} combined by
 * Richardson extrapolation ({@code (4·D(h/2) − D(h)) / 3}, truncation error of order
 * {@code h⁴}), with {@code h} scaled to each element ({@code step·max(|x|, rms/10)}, where
 * {@code rms} is the root mean square of its input) and, for the JVP, a tangent scaled to
 * each input; sums in double; and an allowance per element equal to that element's own error
 * estimate: {@code |D(h) − D(h/2)|} plus a bound on the rounding (four float32 roundings of
 * each output the step changed).
 * With the defaults ({@link Tolerance#FLOAT32}) every built-in primitive passes, while a
 * rule that is 0.5% off, or off by a sign in one element, fails.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Relative precision of float32: 2⁻²⁴. */
    private static final double FLOAT_EPS = 0x1p-24;
    /**
     * How many float32 roundings the value of a function is taken to carry, for the rounding
     * bound. Four covers every built-in primitive and composition, with room (the extrapolation's
     * own spread adds what a long composition carries beyond that).
     */
    private static final double ROUNDINGS = 4;

    /**
     * Tolerances of a check. An element (of a VJP, or of a JVP along a random tangent)
     * passes when
     * <pre>
     * |analytic − numeric| ≤ relative·max(|analytic|, |numeric|) + absolute·scale + estimate
     * </pre>
     * where {@code scale} is the largest {@code max(|analytic|, |numeric|)} of the check and
     * {@code estimate} the numeric derivative's own error estimate (the difference between
     * its two steps, plus the float32 rounding bound). The identity
     * {@code <J t, c> = <t, Jᵀ c>} passes when the two sides differ by at most
     * {@code absolute} times the sum of the magnitudes of their terms.
     *
     * @param step the finite-difference step relative to each element's scale
     *             ({@code max(|x|, rms/10)}, with {@code rms} that of its input, or 1 for an
     *             input of zeros), and for the JVP the step along a tangent of each input's rms
     * @param absolute the error allowed in every element, as a fraction of the check's scale
     * @param relative the error allowed in an element, as a fraction of its own size
     */
    public record Tolerance(double step, double absolute, double relative) {
        /**
         * The defaults, for float32: step 1e-2, 1e-5 absolute, 1e-3 relative. A VJP or JVP
         * that is off by 0.5% fails by a factor of 5 at least.
         */
        public static final Tolerance FLOAT32 = new Tolerance(1e-2, 1e-5, 1e-3);
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
     * with finite differences of f, for every element of every input.
     */
    public static Result check(Tolerance tol, AD.Fn f, Tensor... inputs) {
        Tensor[] x = detached(inputs);
        Tensor c = randomLike(f.apply(x), 7);
        Tensor[] analytic = AD.vjp(f, x).pullback().apply(c);
        Comparison comparison = new Comparison(tol);
        for (int i = 0; i < x.length; i++) {
            double scale = inputScale(x[i]);
            float[] values = x[i].data();
            for (int j = 0; j < values.length; j++) {
                float original = values[j];
                double h = tol.step() * Math.max(Math.abs(original), 0.1 * scale);
                Derivative numeric = Derivative.richardson(difference(f, x, c, values, j, h),
                        difference(f, x, c, values, j, h / 2));
                comparison.add(analytic[i].data()[j], numeric, "input " + i + " element " + j);
            }
        }
        return comparison.result();
    }

    /** The central difference of {@code <c, f(x)>} in element {@code j} of {@code values}, one of the inputs {@code x}. */
    private static Difference difference(AD.Fn f, Tensor[] x, Tensor c, float[] values, int j, double step) {
        float original = values[j];
        values[j] = (float) (original + step);
        Tensor plus = f.apply(detached(x));
        values[j] = (float) (original - step);
        Tensor minus = f.apply(detached(x));
        values[j] = original;
        // the half-step the float32 input actually took
        double taken = ((double) (float) (original + step) - (float) (original - step)) / 2.0;
        return new Difference(dot(c, plus), dot(c, minus), changedMagnitude(c, plus, minus), taken);
    }

    /** {@link #checkJvpVjp(Tolerance, AD.Fn, Tensor...)} with float32 tolerances. */
    public static Result checkJvpVjp(AD.Fn f, Tensor... inputs) {
        return checkJvpVjp(Tolerance.FLOAT32, f, inputs);
    }

    /**
     * Checks {@code <J t, c> = <t, Jᵀ c>} for random tangents t and a random cotangent c,
     * and each element of {@code J t} against finite differences of f along t.
     */
    public static Result checkJvpVjp(Tolerance tol, AD.Fn f, Tensor... inputs) {
        Tensor[] x = detached(inputs);
        Tensor[] t = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            // Each input's tangent has the input's scale, so that one step suits them all.
            t[i] = randomLike(x[i], 11 + i).mul((float) inputScale(x[i]));
        }
        AD.Jvp forward = AD.jvp(f, x, t);
        Tensor jt = forward.tangent();
        Tensor c = randomLike(forward.value(), 5);
        Tensor[] back = AD.vjp(f, x).pullback().apply(c);
        double left = dot(c, jt);
        double right = 0;
        double terms = absDot(c, jt);
        for (int i = 0; i < x.length; i++) {
            right += dot(t[i], back[i]);
            terms += absDot(t[i], back[i]);
        }
        Comparison comparison = new Comparison(tol);
        comparison.identity(left, right, terms);

        double h = tol.step();
        Tensor plus = f.apply(shifted(x, t, h));
        Tensor minus = f.apply(shifted(x, t, -h));
        Tensor halfPlus = f.apply(shifted(x, t, h / 2));
        Tensor halfMinus = f.apply(shifted(x, t, -h / 2));
        for (int k = 0; k < jt.size(); k++) {
            comparison.add(jt.data()[k], Derivative.richardson(
                    Difference.of(plus.data()[k], minus.data()[k], h),
                    Difference.of(halfPlus.data()[k], halfMinus.data()[k], h / 2)), "J t element " + k);
        }
        return comparison.result();
    }

    /**
     * One central difference: the function values on both sides, the sum of the magnitudes
     * that went into them (for the rounding bound), and the half-step actually taken.
     */
    private record Difference(double plus, double minus, double magnitude, double halfStep) {
        /** The difference of two values of one element, each its own magnitude. */
        static Difference of(float plus, float minus, double halfStep) {
            return new Difference(plus, minus, Math.abs(plus) + Math.abs(minus), halfStep);
        }

        double quotient() {
            return (plus - minus) / (2 * halfStep);
        }

        /** A bound on the rounding error of {@link #quotient()}: each value rounded {@link #ROUNDINGS} times. */
        double roundingBound() {
            return ROUNDINGS * FLOAT_EPS * magnitude / (2 * halfStep);
        }
    }

    /** A numeric derivative and an estimate of its error. */
    private record Derivative(double value, double errorEstimate) {
        /**
         * Richardson extrapolation of central differences at steps {@code h} and {@code h/2}.
         * Its error is estimated by the distance between the two (which bounds the truncation
         * error of the coarser, and so of the extrapolation) plus its rounding bound.
         */
        static Derivative richardson(Difference coarse, Difference fine) {
            double value = (4 * fine.quotient() - coarse.quotient()) / 3;
            double estimate = Math.abs(fine.quotient() - coarse.quotient())
                    + (4 * fine.roundingBound() + coarse.roundingBound()) / 3;
            return new Derivative(value, estimate);
        }
    }

    /** Collects analytic and numeric values and judges them once the scale of the whole check is known. */
    private static final class Comparison {
        private final Tolerance tol;
        private final List<double[]> elements = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private double scale;
        private double maxError;
        private double maxExcess = Double.NEGATIVE_INFINITY;
        private String worst = "no elements";

        Comparison(Tolerance tol) {
            this.tol = tol;
        }

        void add(double analytic, Derivative numeric, String where) {
            elements.add(new double[] {analytic, numeric.value(), numeric.errorEstimate()});
            names.add(where);
            scale = Math.max(scale, Math.max(Math.abs(analytic), Math.abs(numeric.value())));
        }

        /** The two sides of {@code <J t, c> = <t, Jᵀ c>}, judged against the sum of the magnitudes of their terms. */
        void identity(double left, double right, double terms) {
            judge(left, right, tol.absolute() * terms, "<J t, c> = " + left + " vs <t, J^T c> = " + right
                    + " (terms of magnitude " + terms + ")");
        }

        Result result() {
            for (int e = 0; e < elements.size(); e++) {
                double[] v = elements.get(e);
                double allowed = tol.relative() * Math.max(Math.abs(v[0]), Math.abs(v[1])) + tol.absolute() * scale + v[2];
                judge(v[0], v[1], allowed, names.get(e) + ": analytic " + v[0] + ", numeric " + v[1]);
            }
            return new Result(maxExcess <= 0, maxError, worst);
        }

        private void judge(double analytic, double numeric, double allowed, String description) {
            double error = Math.abs(analytic - numeric);
            double excess = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error - allowed;
            maxError = Math.max(maxError, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
            if (excess > maxExcess) {
                maxExcess = excess;
                worst = description + ", error " + error + " (allowed " + allowed + ")";
            }
        }
    }

    /** The scale of an input: the root mean square of its elements, or 1 for an input of zeros. */
    private static double inputScale(Tensor x) {
        double squares = absDot(x, x);
        return squares > 0 ? Math.sqrt(squares / x.data().length) : 1;
    }

    /**
     * {@code Σ |c|·(|plus| + |minus|)} over the elements that differ: those the step did not
     * change are equal on both sides, rounding included, and cancel exactly.
     */
    private static double changedMagnitude(Tensor c, Tensor plus, Tensor minus) {
        double s = 0;
        for (int k = 0; k < c.data().length; k++) {
            if (plus.data()[k] != minus.data()[k]) {
                s += Math.abs((double) c.data()[k]) * (Math.abs((double) plus.data()[k]) + Math.abs((double) minus.data()[k]));
            }
        }
        return s;
    }

    private static Tensor[] detached(Tensor[] xs) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = Tensor.of(xs[i].data(), xs[i].shape);
        }
        return out;
    }

    private static Tensor[] shifted(Tensor[] x, Tensor[] t, double h) {
        Tensor[] out = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] v = x[i].data().clone();
            for (int j = 0; j < v.length; j++) {
                v[j] += (float) (h * t[i].data()[j]);
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
        for (int i = 0; i < a.data().length; i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    private static double absDot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += Math.abs((double) a.data()[i] * b.data()[i]);
        }
        return s;
    }
}
