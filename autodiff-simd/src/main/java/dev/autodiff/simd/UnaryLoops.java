package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector loops of {@link dev.autodiff.kernel.Kernels#unary} and
 * {@link dev.autodiff.kernel.Kernels#unaryBackward} over one index range; the tail after
 * the last full vector uses {@link ScalarMath}. Each loop's Javadoc states its largest
 * error against that reference, in ulps of the reference's result, as {@code UnaryTest}
 * checks it on odd lengths, special values, a dense grid, the whole float line and the
 * worst floats that sweeps of every 97th float found. A derivative is g times f'(x) formed
 * in float: where f'(x) is a subnormal float, its lost bits, times g, add to the bound an
 * absolute error of at most 4·2^-149·|g|, which shows only for a large g.
 *
 * <p>Each function has its own small loop method, reached through a table rather than
 * inlined into one big switch. A function built on exp or log runs a block of
 * {@value #BLOCK} elements at a time through the {@link VectorMath} stages into scratch
 * arrays that stay in L1, then combines them in a loop of its own; GELU and its derivative,
 * sigmoid and silu, and the tanh, sigmoid, silu and softplus derivatives write their
 * exponential out in their one loop instead, which saves the passes through memory. Every vector loop calls the Vector API
 * only, never a method of ours but on a rare path that takes arrays: C2 inlines ours only
 * until a node budget is spent, and a vector function left as a call boxes its vectors,
 * which made GELU 60 times slower than it is now (docs/performance-kernels.md). The exact
 * functions that C2 vectorizes as plain loops are such loops instead: the forward of neg,
 * abs, sqrt, ReLU, leaky ReLU with a slope in (0, 1] and pow with exponent 2, and the
 * derivatives of neg, exp, log and sqrt. Bound by memory, they run faster so, since C2
 * aligns its vector loop to the arrays.
 */
final class UnaryLoops {
    private UnaryLoops() {}

    private static final int L = F.length();
    /** Elements per pass through the stages: three scratch blocks of this many floats stay in L1. */
    static final int BLOCK = 512;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][BLOCK]);

    private static final int SIGN_BIT = 0x8000_0000;
    /** erf is 1 in float beyond this magnitude, Φ 0 or 1 beyond {@link #GELU_MAX}. */
    private static final float ERF_MAX = 10f;
    private static final float GELU_MAX = 16f;
    /** Up to this magnitude {@link #gelu} scales its exponential in one step: e^{q - x²/2} is a normal float, at least 1e-35. */
    private static final float GELU_FAST_MAX = 12.5f;
    /** Up to this magnitude of its argument {@link #logisticSlopeTimes} takes its fast path: e^{-|u|} is a normal float, at least 1.6e-38. */
    private static final float SLOPE_FAST_MAX = 87f;
    /** Beyond this magnitude of its argument the logistic slope e^{-|u|} is below 2^-251, and counts as 0. */
    private static final float SLOPE_FAR = 174f;
    /** Beyond this magnitude e^{-|x|} is below half the smallest subnormal float, and rounds to 0. */
    private static final float SILU_FAR = 104f;
    /** The coefficients of {@code q(t)} in the erfc fit ({@link ScalarMath}'s), {@code ERFC_FIT[i]} of {@code t^i}. */
    private static final double[] ERFC_FIT = ScalarMath.erfcFitCoefficients();
    private static final float[] ERFC_Q = toFloats(ERFC_FIT);
    /**
     * The same {@code q} in {@code u = 1 - t}, {@code ERFC_Q_OF_U[i]} of {@code u^i}: near
     * x = 0, where t is near 1, the terms in t cancel (to {@code q(1) = 3e-8}) and their
     * rounding shows; those in u do not.
     */
    private static final float[] ERFC_Q_OF_U = toFloats(ofOneMinus(ERFC_FIT));
    /**
     * {@code (e^r - 1 - r)/r²} on [-ln2/2, ln2/2] as {@code Σ EXP_REST[i]·r^i}, a Chebyshev fit:
     * {@code e^r = 1 + r + r²·that} within 1e-8, a polynomial of degree 6.
     */
    private static final float[] EXP_REST = {0.5f, 0.16666574776172638f, 0.04166655242443085f, 0.008363518863916397f,
        0.0013926607789471745f};
    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float TWO_OVER_SQRT_PI = 1.1283791670955126f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;
    /** The float nearest the zero of silu' (-1.27846454...), and the rest of the zero. */
    private static final float SILU_ZERO = -0x1.474974p+0f;
    private static final float SILU_ZERO_REST = 0x1.bdf6fap-27f;
    /** Within this distance of the zero, {@link #siluBackward} takes 1 + x + e^x from {@link #SILU_NUMERATOR}. */
    private static final float SILU_NEAR = 0.05f;
    /**
     * {@code 1 + x + e^x}, which is 0 at the zero x0 of silu', as {@code u·Σ SILU_NUMERATOR[i]·u^i}
     * with {@code u = x - x0}: e^{x0} is {@code -(1 + x0)}, so the sum is
     * {@code u·(1 + e^{x0}) + e^{x0}·(e^u - 1 - u)}, the series of e^u to u^4 (the next term is below
     * 2^-26 of the sum for |u| up to {@value #SILU_NEAR}); u is {@code (x - SILU_ZERO) - SILU_ZERO_REST},
     * the first subtraction exact (Sterbenz's lemma).
     */
    private static final float[] SILU_NUMERATOR = siluNumerator();
    /** Where gelu' is 0, -0.75179152..., in magnitude: the float nearest, and the rest. */
    private static final float GELU_SLOPE_ZERO = 0x1.80ead2p-1f;
    private static final float GELU_SLOPE_ZERO_REST = -0x1.a03fd4p-27f;
    /** Up to this magnitude {@link #geluBackward} scales e^{-x²/2} by 2^k in one step: it is a normal float (to 13.2). */
    private static final float GELU_SLOPE_FAST_MAX = 13f;
    /**
     * {@code G(u) = (R(a) - a)/(√(2π)·(a0 - a))}, Mills' ratio R less a, over a's distance to the
     * zero a0 of gelu'(-a) and √(2π), with {@code u = 1 - 1/(1 + a/(2√2))}, as
     * {@code Σ GELU_SLOPE_FIT[i]·u^i} for u in [0, 0.86] (a up to 17): smooth and far from 0, a
     * fit for relative error within 0.81 ulp in float ({@code autodiff-examples/scripts/fit_polynomials.py}).
     */
    private static final float[] GELU_SLOPE_FIT = {0x1.54851ap-1f, -0x1.ffa474p-2f, 0x1.1f9062p-2f, -0x1.1d3748p-8f,
        -0x1.8d99fp-5f, -0x1.6f4a82p-13f, -0x1.b634e2p-7f, 0x1.28a806p-5f, -0x1.503804p-6f, 0x1.c1dap-9f};

    private static float[] toFloats(double[] c) {
        float[] f = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            f[i] = (float) c[i];
        }
        return f;
    }

    /** The coefficients of {@code p(1 - u)} in u, those of {@code p(t)} in t given. */
    private static double[] ofOneMinus(double[] p) {
        double[] r = new double[p.length];
        // Horner in t = 1 - u: r ← r·(1 - u) + p[j]
        for (int j = p.length - 1; j >= 0; j--) {
            for (int i = p.length - 1; i > 0; i--) {
                r[i] -= r[i - 1];
            }
            r[0] += p[j];
        }
        return r;
    }

    private static float[] siluNumerator() {
        double e0 = -(1 + ((double) SILU_ZERO + SILU_ZERO_REST));
        return new float[] {(float) (1 + e0), (float) (e0 / 2), (float) (e0 / 6), (float) (e0 / 24)};
    }

    /** One function's loop over whole vectors in {@code [from, end)}. */
    @FunctionalInterface
    private interface Forward {
        void run(float param, float[] x, float[] out, int from, int end);
    }

    /** One derivative's loop over whole vectors in {@code [from, end)}. */
    @FunctionalInterface
    private interface Backward {
        void run(float param, float[] g, float[] x, float[] y, float[] out, int from, int end);
    }

    private static final Forward[] FORWARD = new Forward[Unary.values().length];
    private static final Backward[] BACKWARD = new Backward[Unary.values().length];

    static {
        for (Unary op : Unary.values()) {
            FORWARD[op.ordinal()] = switch (op) {
                case NEG -> UnaryLoops::neg;
                case ABS -> UnaryLoops::abs;
                case EXP -> UnaryLoops::exp;
                case LOG -> UnaryLoops::log;
                case SQRT -> UnaryLoops::sqrt;
                case POW -> VectorPow::forward;
                case ERF -> UnaryLoops::erf;
                case RELU -> UnaryLoops::relu;
                case LEAKY_RELU -> UnaryLoops::leakyRelu;
                case SIGMOID -> UnaryLoops::sigmoid;
                case TANH -> UnaryLoops::tanh;
                case GELU -> UnaryLoops::gelu;
                case SOFTPLUS -> UnaryLoops::softplus;
                case SILU -> UnaryLoops::silu;
                case SIN -> UnaryLoops::sin;
                case COS -> UnaryLoops::cos;
                case LOG1P -> UnaryLoops::log1p;
                case EXPM1 -> UnaryLoops::expm1;
                case RSQRT -> UnaryLoops::rsqrt;
                case ELU -> UnaryLoops::elu;
            };
            BACKWARD[op.ordinal()] = switch (op) {
                case NEG -> UnaryLoops::negBackward;
                case ABS -> UnaryLoops::absBackward;
                case EXP -> UnaryLoops::expBackward;
                case LOG -> UnaryLoops::logBackward;
                case SQRT -> UnaryLoops::sqrtBackward;
                case POW -> (p, g, x, y, out, from, end) -> VectorPow.backward(p, g, x, out, from, end);
                case ERF -> UnaryLoops::erfBackward;
                case RELU, LEAKY_RELU -> UnaryLoops::reluBackward;
                case SIGMOID -> UnaryLoops::sigmoidBackward;
                case TANH -> UnaryLoops::tanhBackward;
                case GELU -> UnaryLoops::geluBackward;
                case SOFTPLUS -> UnaryLoops::softplusBackward;
                case SILU -> UnaryLoops::siluBackward;
                case SIN -> UnaryLoops::sinBackward;
                case COS -> UnaryLoops::cosBackward;
                case LOG1P -> UnaryLoops::log1pBackward;
                case EXPM1 -> UnaryLoops::expm1Backward;
                case RSQRT -> UnaryLoops::rsqrtBackward;
                case ELU -> UnaryLoops::eluBackward;
            };
        }
    }

    static void apply(Unary op, float param, float[] x, float[] out, int from, int to) {
        int end = from + F.loopBound(to - from);
        FORWARD[op.ordinal()].run(param, x, out, from, end);
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.apply(op, param, x[i]);
        }
    }

    static void derivative(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int from, int to) {
        int end = from + F.loopBound(to - from);
        // the ReLU derivative is the leaky one with slope 0
        BACKWARD[op.ordinal()].run(op == Unary.RELU ? 0f : param, g, x, y, out, from, end);
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.derivative(op, param, g[i], x[i], y[i]);
        }
    }

    /** This thread's three scratch blocks of {@link #BLOCK} floats. */
    private static float[][] scratch() {
        return SCRATCH.get();
    }

    // ---------------------------------------------------------------- forward

    /** Exact. */
    private static void neg(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = -x[i];
        }
    }

    /** Exact. */
    private static void abs(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = Math.abs(x[i]);
        }
    }

    /** Within 1 ulp of the reference. */
    private static void exp(float param, float[] x, float[] out, int from, int end) {
        VectorMath.exp(x, from, false, 1f, 0f, out, from, end - from);
    }

    /** Within 1 ulp of the reference. */
    private static void log(float param, float[] x, float[] out, int from, int end) {
        VectorMath.log(x, from, out, from, end - from);
    }

    /** Exact (correctly rounded, as the reference). */
    private static void sqrt(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = (float) Math.sqrt(x[i]);
        }
    }

    /**
     * {@code 2/√π·(z - z³/3 + ... + z^15/(7!·15))} by its Taylor series below 0.5 in
     * magnitude, {@code 1 - erfc(|x|)} above; within 3 ulp of the reference (reached from 0.5
     * in magnitude, where the erfc form's roundings begin).
     */
    private static void erf(float param, float[] x, float[] out, int from, int end) {
        float[][] s = scratch();
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            erfcParts(x, b, ERF_MAX, 1f, 1f, s[0], s[1], n);
            VectorMath.exp(s[0], 0, false, 1f, 0f, s[0], 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, b + i);
                FloatVector z = xv.abs().min(ERF_MAX);
                FloatVector z2 = z.mul(z);
                FloatVector series = FloatVector.broadcast(F, -1f / 75600f).fma(z2, FloatVector.broadcast(F, 1f / 9360f)).fma(z2, FloatVector.broadcast(F, -1f / 1320f))
                        .fma(z2, FloatVector.broadcast(F, 1f / 216f)).fma(z2, FloatVector.broadcast(F, -1f / 42f)).fma(z2, FloatVector.broadcast(F, 1f / 10f))
                        .fma(z2, FloatVector.broadcast(F, -1f / 3f)).fma(z2, FloatVector.broadcast(F, 1f)).mul(z).mul(TWO_OVER_SQRT_PI);
                FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.fromArray(F, s[1], i).mul(FloatVector.fromArray(F, s[0], i)));
                FloatVector r = big.blend(series, z.lt(0.5f));
                // |erf| with the sign of x
                r.reinterpretAsInts().or(xv.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats().intoArray(out, b + i);
            }
        }
    }

    /**
     * Exact. {@code x > 0 ? x : 0}, NaN kept, -0 becomes +0 as in the reference. A plain loop,
     * which C2 vectorizes: it also starts the vector loop where the arrays' lines do, which it
     * learns at run time and the Vector API cannot. A loop bound by memory, as this one is,
     * runs a sixth faster so (docs/performance-kernels.md).
     */
    private static void relu(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = Math.max(x[i], 0f);
        }
    }

    /**
     * Exact. With a slope in (0, 1], {@code max(x, slope·x)}, a plain loop as {@link #relu}'s:
     * the slope's product is the larger exactly where x is not above 0, and both are ±Inf or NaN
     * with x (a slope of 0 would make +Inf·0 a NaN). Any other slope chooses by x's sign.
     */
    private static void leakyRelu(float slope, float[] x, float[] out, int from, int end) {
        if (slope > 0f && slope <= 1f) {
            for (int i = from; i < end; i++) {
                out[i] = Math.max(x[i], slope * x[i]);
            }
            return;
        }
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            xv.mul(slope).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    /** {@code 1/(1 + e)}, or {@code e/(1 + e)} below 0, with {@code e = e^-|x|}: within 3 ulp of the reference (reached below 0). */
    private static void sigmoid(float param, float[] x, float[] out, int from, int end) {
        logisticTimes(null, x, out, from, end);
    }

    /**
     * {@code out = f·σ(x)}, or σ(x) where {@code f} is null, σ as {@link #sigmoid} defines it, in one
     * pass: {@code e^-|x|} is {@link VectorMath#exp} written out inline, the same operations in the
     * same order, so the same bits as through a scratch block, without the passes through it. A
     * vector with a lane beyond 87.3, where 2^k is not a normal float, or NaN, takes exp's long
     * path, also inline (|x| clamped, 2^k as two factors): a call in the loop, even on a rare path,
     * leaves the loop's constant vectors live across it, and C2 boxes them ({@code VectorBoxingTest}).
     * {@code out} may be {@code x} or {@code f}.
     */
    private static void logisticTimes(float[] f, float[] x, float[] out, int from, int end) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector minusLog2e = FloatVector.broadcast(F, -VectorMath.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, VectorMath.ROUND_MAGIC);
        FloatVector ln2Hi = FloatVector.broadcast(F, VectorMath.LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(F, VectorMath.LN2_LO);
        float[] c = VectorMath.EXP_POLY;
        float normalMax = -VectorMath.EXP_NORMAL_MIN;
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector absX = xv.abs();
            boolean normal = absX.compare(VectorOperators.LE, normalMax).allTrue();
            // clamped to exp's 104 on its long path (NaN stays NaN)
            FloatVector a = normal ? absX : absX.blend(-VectorMath.EXP_MIN, absX.compare(VectorOperators.GT, -VectorMath.EXP_MIN));
            // exp's fma(-a, log2e, magic) and k·ln2 taken from -a, as fma(a, -log2e, magic) and a plus k·ln2
            // negated, which round alike
            FloatVector t = a.fma(minusLog2e, magic);
            FloatVector k = t.sub(magic);
            FloatVector r = k.fma(ln2Lo, k.fma(ln2Hi, a)).neg();
            FloatVector p = FloatVector.broadcast(F, c[5]).fma(r, FloatVector.broadcast(F, c[4])).fma(r, FloatVector.broadcast(F, c[3]))
                    .fma(r, FloatVector.broadcast(F, c[2])).fma(r, FloatVector.broadcast(F, c[1])).fma(r, FloatVector.broadcast(F, c[0]))
                    .fma(r.mul(r), r).add(one);
            FloatVector e;
            if (normal) {
                e = p.mul(t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(VectorMath.EXP_REBIAS).reinterpretAsFloats());
            } else {
                // 2^k as two normal factors, as on exp's long path
                IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(VectorMath.ROUND_MAGIC));
                IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
                FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                e = p.mul(s1).mul(s2);
            }
            FloatVector s = one.div(e.add(one));
            s = s.blend(e.mul(s), xv.lt(0f));
            if (f == null) {
                s.intoArray(out, i);
            } else {
                FloatVector.fromArray(F, f, i).mul(s).intoArray(out, i);
            }
        }
    }

    /**
     * An odd polynomial below 0.625 in magnitude, else {@code 1 - 2/(e^{2|x|} + 1)} with the
     * sign of x; saturates to ±1. Within 1 ulp of the reference.
     */
    private static void tanh(float param, float[] x, float[] out, int from, int end) {
        float[] e = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.exp(x, b, true, 2f, 0f, e, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, b + i);
                FloatVector ax = xv.abs();
                FloatVector s = ax.mul(ax);
                FloatVector p = FloatVector.broadcast(F, -5.70498872745E-3f).fma(s, FloatVector.broadcast(F, 2.06390887954E-2f)).fma(s, FloatVector.broadcast(F, -5.37397155531E-2f))
                        .fma(s, FloatVector.broadcast(F, 1.33314422036E-1f)).fma(s, FloatVector.broadcast(F, -3.33332819422E-1f));
                FloatVector small = p.mul(s).fma(ax, ax);
                FloatVector large = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(FloatVector.fromArray(F, e, i).add(1f)));
                FloatVector r = large.blend(small, ax.lt(0.625f));
                r.blend(r.neg(), xv.test(VectorOperators.IS_NEGATIVE)).intoArray(out, b + i);
            }
        }
    }

    /**
     * {@code relu(x) - |x|·Φ(-|x|)} in one pass, with {@code 2Φ(-|x|) = erfc(z) = t·e^{q(t) - z²}},
     * {@code z = |x|/√2}, {@code t = 1/(1 + z/2)}, from the erfc fit, and its exponential inline.
     * Within 5 ulp of the reference (reached by 126 floats, all below x = -9.7, in an exhaustive
     * check of {@code 1e-6 <= |x| <= 20}), or 1e-43 where Φ is subnormal (below x ≈ -13). A
     * vector with a lane beyond ±{@value #GELU_FAST_MAX}, or NaN, scales the exponential by 2^k in
     * two steps instead of one, and its lanes beyond ±{@value #GELU_MAX} are relu(x). No vector is
     * chosen between two others: C2 inlines a call on such a merged vector only through a type
     * profile, and boxes it without one ({@code VectorBoxingTest}).
     */
    private static void gelu(float param, float[] x, float[] out, int from, int end) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector halfSqrtHalf = FloatVector.broadcast(F, 0.5f * SQRT_HALF);
        FloatVector q9 = FloatVector.broadcast(F, ERFC_Q_OF_U[9]);
        FloatVector q8 = FloatVector.broadcast(F, ERFC_Q_OF_U[8]);
        FloatVector q7 = FloatVector.broadcast(F, ERFC_Q_OF_U[7]);
        FloatVector q6 = FloatVector.broadcast(F, ERFC_Q_OF_U[6]);
        FloatVector q5 = FloatVector.broadcast(F, ERFC_Q_OF_U[5]);
        FloatVector q4 = FloatVector.broadcast(F, ERFC_Q_OF_U[4]);
        FloatVector q3 = FloatVector.broadcast(F, ERFC_Q_OF_U[3]);
        FloatVector q2 = FloatVector.broadcast(F, ERFC_Q_OF_U[2]);
        FloatVector q1 = FloatVector.broadcast(F, ERFC_Q_OF_U[1]);
        FloatVector q0 = FloatVector.broadcast(F, ERFC_Q_OF_U[0]);
        FloatVector log2e = FloatVector.broadcast(F, VectorMath.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, VectorMath.ROUND_MAGIC);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -VectorMath.LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -VectorMath.LN2_LO);
        FloatVector p4 = FloatVector.broadcast(F, EXP_REST[4]);
        FloatVector p3 = FloatVector.broadcast(F, EXP_REST[3]);
        FloatVector p2 = FloatVector.broadcast(F, EXP_REST[2]);
        FloatVector p1 = FloatVector.broadcast(F, EXP_REST[1]);
        FloatVector p0 = FloatVector.broadcast(F, EXP_REST[0]);
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector absX = xv.abs();
            boolean far = !absX.compare(VectorOperators.LE, GELU_FAST_MAX).allTrue();
            FloatVector halfAx = absX.mul(half);
            FloatVector minusHalfAx = absX.mul(-0.5f);
            // one division gives w = -|x|/2·t, and u = 1 - t = z/2·t = -√½·w without the rounding of t near 1
            FloatVector w = minusHalfAx.div(absX.fma(halfSqrtHalf, one));
            FloatVector u = w.mul(-SQRT_HALF);
            // q in pairs of terms, Horner in u²: half the latency of Horner in u
            FloatVector u2 = u.mul(u);
            FloatVector q = q9.fma(u, q8).fma(u2, q7.fma(u, q6)).fma(u2, q5.fma(u, q4)).fma(u2, q3.fma(u, q2)).fma(u2, q1.fma(u, q0));
            // -z² = -x²/2 = sq - sqErr exactly
            FloatVector sq = minusHalfAx.mul(absX);
            FloatVector sqErr = halfAx.fma(absX, sq);
            // e^{q - z²} = 2^k·e^r: sq - k·ln2hi is exact (Cody-Waite: ln2hi has no bits below sq's, and the
            // difference, below 1.7, fits sq's binade or the one above), the small rest joins it once
            FloatVector kMagic = q.add(sq).fma(log2e, magic);
            FloatVector k = kMagic.sub(magic);
            FloatVector r = k.fma(minusLn2Hi, sq).add(k.fma(minusLn2Lo, q.sub(sqErr)));
            FloatVector expR = p4.fma(r, p3).fma(r, p2).fma(r, p1).fma(r, p0).fma(r, one).fma(r, one);
            // the shift keeps the low 9 bits of kMagic, k's (those of ROUND_MAGIC are 0)
            IntVector kBits = kMagic.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            FloatVector relu = xv.fma(half, halfAx); // x/2 + |x|/2: x above 0, 0 below
            if (!far) {
                // e^{q - z²} is a normal float: times 2^k by adding k to the exponent field
                FloatVector exp = expR.reinterpretAsInts().add(kBits).reinterpretAsFloats();
                w.fma(exp, relu).intoArray(out, i);
            } else {
                // 2^k as two normal factors (k is down to -185 up to |x| = GELU_MAX), so that a subnormal
                // e^{q - z²} is rounded once; beyond GELU_MAX, |x|·Φ(-|x|) is 0 in float, as it is there,
                // and the lanes are relu(x)
                IntVector half1 = kBits.lanewise(VectorOperators.ASHR, 24).lanewise(VectorOperators.LSHL, 23);
                FloatVector exp = expR.mul(half1.add(127 << 23).reinterpretAsFloats()).mul(kBits.sub(half1).add(127 << 23).reinterpretAsFloats());
                w.fma(exp, relu).blend(relu, absX.compare(VectorOperators.GT, GELU_MAX)).intoArray(out, i);
            }
        }
    }

    /** {@code max(x, 0) + log1p(e)} with {@code e = e^-|x|}, log1p as {@code log(u)·e/(u - 1)}, {@code u = 1 + e}: within 3 ulp of the reference. */
    private static void softplus(float param, float[] x, float[] out, int from, int end) {
        float[][] s = scratch();
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.exp(x, b, true, -1f, 0f, s[0], 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector.fromArray(F, s[0], i).add(1f).intoArray(s[1], i);
            }
            VectorMath.log(s[1], 0, s[1], 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, b + i);
                FloatVector e = FloatVector.fromArray(F, s[0], i);
                FloatVector u = e.add(1f);
                FloatVector log1pE = FloatVector.fromArray(F, s[1], i).mul(e.div(u.sub(1f))).blend(e, u.eq(1f));
                xv.blend(FloatVector.broadcast(F, 0f), xv.lt(0f)).add(log1pE).intoArray(out, b + i);
            }
        }
    }

    /** {@code x·σ(x)}, σ as {@link #sigmoid} computes it: within 3 ulp of the reference, or 1e-43 where σ(x) is subnormal (below x ≈ -87). */
    private static void silu(float param, float[] x, float[] out, int from, int end) {
        logisticTimes(x, x, out, from, end);
    }

    /** Within 2 ulp of the reference ({@link VectorTrig}). */
    private static void sin(float param, float[] x, float[] out, int from, int end) {
        VectorTrig.forward(Unary.SIN, x, out, from, end);
    }

    /** Within 2 ulp of the reference ({@link VectorTrig}). */
    private static void cos(float param, float[] x, float[] out, int from, int end) {
        VectorTrig.forward(Unary.COS, x, out, from, end);
    }

    /**
     * {@code log(u)·x/(u - 1)} with {@code u = 1 + x} (Goldberg's correction, accurate for tiny
     * x); -Inf at -1, NaN below. Within 3 ulp of the reference.
     */
    private static void log1p(float param, float[] x, float[] out, int from, int end) {
        float[] u = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            for (int i = 0; i < n; i += L) {
                FloatVector.fromArray(F, x, b + i).add(1f).intoArray(u, i);
            }
            VectorMath.log(u, 0, u, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, b + i);
                FloatVector uv = xv.add(1f);
                FloatVector.fromArray(F, u, i).mul(xv.div(uv.sub(1f))).blend(xv, uv.eq(1f)).blend(uv, xv.eq(Float.POSITIVE_INFINITY))
                        .intoArray(out, b + i);
            }
        }
    }

    /** Within 3 ulp of the reference ({@link VectorMath#expm1}). */
    private static void expm1(float param, float[] x, float[] out, int from, int end) {
        float[] m = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.expm1(x, b, m, 0, n);
            System.arraycopy(m, 0, out, b, n);
        }
    }

    /** Exact: {@code 1 / sqrt(x)} in two correctly rounded steps, as the reference. */
    private static void rsqrt(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, x, i).sqrt()).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? x : alpha·expm1(x)}: within 3 ulp of the reference. */
    private static void elu(float alpha, float[] x, float[] out, int from, int end) {
        float[] m = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.expm1(x, b, m, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, b + i);
                FloatVector.fromArray(F, m, i).mul(alpha).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(out, b + i);
            }
        }
    }

    /**
     * The parts of {@code erfc(z) = t·e^{q(t) - z²}} (the Numerical Recipes fit the reference
     * uses, {@code t = 1/(1 + z/2)}) for {@code z = min(|x|, max)·zScale}, with
     * {@code z² = (hi + lo)·zzScale} split exactly, {@code hi = min(|x|, max)²}, as
     * e^{-z²} is sensitive to its rounding: {@code exponent} gets {@code q - z²hi} rounded, and
     * {@code factor} gets {@code t·(1 + err - z²lo)}, where {@code err} is that rounding's
     * error, so that {@code erfc = factor·e^exponent}.
     */
    private static void erfcParts(float[] x, int xo, float max, float zScale, float zzScale,
                                  float[] exponent, float[] factor, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector halfZScale = FloatVector.broadcast(F, 0.5f * zScale); // exact: zScale is 1 or √½
        FloatVector q9 = FloatVector.broadcast(F, ERFC_Q[9]);
        FloatVector q8 = FloatVector.broadcast(F, ERFC_Q[8]);
        FloatVector q7 = FloatVector.broadcast(F, ERFC_Q[7]);
        FloatVector q6 = FloatVector.broadcast(F, ERFC_Q[6]);
        FloatVector q5 = FloatVector.broadcast(F, ERFC_Q[5]);
        FloatVector q4 = FloatVector.broadcast(F, ERFC_Q[4]);
        FloatVector q3 = FloatVector.broadcast(F, ERFC_Q[3]);
        FloatVector q2 = FloatVector.broadcast(F, ERFC_Q[2]);
        FloatVector q1 = FloatVector.broadcast(F, ERFC_Q[1]);
        FloatVector q0 = FloatVector.broadcast(F, ERFC_Q[0]);
        for (int i = 0; i < n; i += L) {
            FloatVector ax = FloatVector.fromArray(F, x, xo + i).abs().min(max);
            FloatVector hi = ax.mul(ax);
            FloatVector zzHi = hi.mul(zzScale);
            FloatVector zzLo = ax.fma(ax, hi.neg()).mul(zzScale);
            FloatVector t = one.div(ax.fma(halfZScale, one));
            FloatVector q = q9.fma(t, q8).fma(t, q7).fma(t, q6).fma(t, q5).fma(t, q4).fma(t, q3).fma(t, q2).fma(t, q1).fma(t, q0);
            // s + err = q - zzHi: err exact where zzHi >= |q|, and below an ulp of s, whose effect is as small, elsewhere
            FloatVector s = q.sub(zzHi);
            FloatVector err = q.sub(s.add(zzHi));
            s.intoArray(exponent, i);
            t.mul(err.sub(zzLo).add(one)).intoArray(factor, i);
        }
    }

    // ---------------------------------------------------------------- backward

    /** Exact. */
    private static void negBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = -g[i];
        }
    }

    /** Exact. {@code x > 0 ? g : x < 0 ? -g : 0·g}. */
    private static void absBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, i);
            FloatVector xv = FloatVector.fromArray(F, x, i);
            gv.mul(0f).blend(gv, xv.compare(VectorOperators.GT, 0f)).blend(gv.neg(), xv.lt(0f)).intoArray(out, i);
        }
    }

    /** Exact: {@code g·y}. */
    private static void expBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = g[i] * y[i];
        }
    }

    /** Exact: {@code g/x}. */
    private static void logBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = g[i] / x[i];
        }
    }

    /** Exact: {@code g·0.5/y}. */
    private static void sqrtBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = g[i] * 0.5f / y[i];
        }
    }

    /** Exact: {@code x > 0 ? g : g·slope}; slope 0 gives the ReLU derivative {@code 0·g}. */
    private static void reluBackward(float slope, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, i);
            gv.mul(slope).blend(gv, FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    /**
     * {@code g·e/(1 + e)²} with {@code e = e^-|x|}, accurate where σ saturates: within 4 ulp of the
     * reference (at most 3 over all floats x, each with a g drawn from [-2, 2)).
     */
    private static void sigmoidBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        logisticSlopeTimes(1f, 1f, g, x, out, from, end);
    }

    /**
     * {@code g·(1 - tanh²x)} as {@code 4g·e/(1 + e)²} with {@code e = e^{-2|x|}}: within 4 ulp of the
     * reference (at most 3 over all floats x, each with a g drawn from [-2, 2)).
     */
    private static void tanhBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        logisticSlopeTimes(2f, 4f, g, x, out, from, end);
    }

    /**
     * {@code out = g·c·σ'(a·x)}, with {@code σ'(u) = e/(1 + e)²}, {@code e = e^{-|u|}}, in one pass with
     * its exponential inline, as {@link #gelu}'s; a and c are powers of two. A vector with a lane where
     * e is not a normal float (|a·x| beyond {@value #SLOPE_FAST_MAX}), or NaN, scales e^r by 2^k in two
     * steps instead of one. No vector is chosen between two others (as in {@link #gelu}).
     */
    private static void logisticSlopeTimes(float a, float c, float[] g, float[] x, float[] out, int from, int end) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector two = FloatVector.broadcast(F, 2f);
        FloatVector minusALog2e = FloatVector.broadcast(F, -a * VectorMath.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, VectorMath.ROUND_MAGIC);
        FloatVector ln2HiOverA = FloatVector.broadcast(F, VectorMath.LN2_HI / a);
        FloatVector ln2LoOverA = FloatVector.broadcast(F, VectorMath.LN2_LO / a);
        // e^r = 1 + r + r²·Σ EXP_REST[j]·r^j in s = -r/a: the coefficient of s^j times (-a)^j
        FloatVector q6 = FloatVector.broadcast(F, EXP_REST[4] * a * a * a * a * a * a);
        FloatVector q5 = FloatVector.broadcast(F, -EXP_REST[3] * a * a * a * a * a);
        FloatVector q4 = FloatVector.broadcast(F, EXP_REST[2] * a * a * a * a);
        FloatVector q3 = FloatVector.broadcast(F, -EXP_REST[1] * a * a * a);
        FloatVector q2 = FloatVector.broadcast(F, EXP_REST[0] * a * a);
        FloatVector q1 = FloatVector.broadcast(F, -a);
        float fastMax = SLOPE_FAST_MAX / a;
        int cExponent = Math.getExponent(c) << 23;
        float farMax = SLOPE_FAR / a;
        for (int i = from; i < end; i += L) {
            FloatVector absX = FloatVector.fromArray(F, x, i).abs();
            boolean far = !absX.compare(VectorOperators.LE, fastMax).allTrue();
            // e = e^u = 2^k·e^r, u = -a|x|, r = u - k·ln2 = -a·s with s = |x| + k·ln2/a by Cody-Waite (as in gelu);
            // a being a power of two, every step rounds as it would in u and r, one multiplication fewer
            FloatVector kMagic = absX.fma(minusALog2e, magic);
            FloatVector k = kMagic.sub(magic);
            FloatVector s = k.fma(ln2LoOverA, k.fma(ln2HiOverA, absX));
            FloatVector expR = q6.fma(s, q5).fma(s, q4).fma(s, q3).fma(s, q2).fma(s, q1).fma(s, one);
            IntVector kBits = kMagic.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            FloatVector gv = FloatVector.fromArray(F, g, i);
            if (!far) {
                FloatVector e = expR.reinterpretAsInts().add(kBits).reinterpretAsFloats();
                // (1 + e)² as 1 + e·(2 + e): one rounding fewer than squaring the rounded 1 + e
                FloatVector d2 = e.add(two).fma(e, one);
                // c·e by adding log2(c) to e's exponent, an integer addition, which the multiplier's pipes need not take
                FloatVector ce = e.reinterpretAsInts().add(cExponent).reinterpretAsFloats();
                gv.mul(ce.div(d2)).intoArray(out, i);
            } else {
                // 2^k as two normal factors (k is down to -251), the second applied last, so that a subnormal
                // result is rounded once (e itself may be subnormal, and times c·g would lose bits); beyond
                // |u| = SLOPE_FAR e counts as 0, as for x = ±Inf: g·c·e rounds to 0 there for |g| < 5e29, and
                // the factors, made of what k became there, are 1
                VectorMask<Float> beyond = absX.compare(VectorOperators.GT, farMax);
                IntVector half1 = kBits.lanewise(VectorOperators.ASHR, 24).lanewise(VectorOperators.LSHL, 23);
                FloatVector s1 = half1.add(127 << 23).reinterpretAsFloats().blend(1f, beyond);
                FloatVector s2 = kBits.sub(half1).add(127 << 23).reinterpretAsFloats().blend(1f, beyond);
                FloatVector farR = expR.blend(0f, beyond);
                FloatVector e = farR.mul(s1).mul(s2);
                FloatVector d2 = e.add(two).fma(e, one);
                // s1 before g: g·c·e^r alone might overflow
                gv.mul(farR.mul(c).div(d2).mul(s1)).mul(s2).intoArray(out, i);
            }
        }
    }

    /** {@code g·2/√π·e^{-x²}}, x² split exactly in two floats: within 5 ulp of the reference (reached for |x| in [4, 16)). */
    private static void erfBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        float[] e = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            for (int i = 0; i < n; i += L) {
                FloatVector ax = FloatVector.fromArray(F, x, b + i).abs().min(GELU_MAX);
                ax.mul(ax).neg().intoArray(e, i);
            }
            VectorMath.exp(e, 0, false, 1f, 0f, e, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector ax = FloatVector.fromArray(F, x, b + i).abs().min(GELU_MAX);
                FloatVector lo = ax.fma(ax, ax.mul(ax).neg());
                FloatVector.fromArray(F, g, b + i).mul(FloatVector.fromArray(F, e, i).mul(FloatVector.broadcast(F, 1f).sub(lo)).mul(TWO_OVER_SQRT_PI)).intoArray(out, b + i);
            }
        }
    }

    /**
     * {@code g·gelu'(x)} from one exponential {@code E = e^{-x²/2}} (x² split exactly in two
     * floats) and one fit. With a = |x| and Mills' ratio {@code R(a) = Φ(-a)/φ(a)}, gelu'(x) is
     * {@code d = φ(x)·(R(a) - a)} below 0 and {@code 1 - d} from 0 on; d is
     * {@code E·(a0 - a)·G(u)}, a0 = 0.7518 where gelu' is 0, {@code u = 1 - 1/(1 + a/(2√2))}, G
     * fitted for relative error ({@link #GELU_SLOPE_FIT}). a0 - a is formed in two subtractions,
     * the first exact around a0, so the derivative keeps its relative accuracy through its zero,
     * where the two terms of {@code Φ(x) + x·φ(x)} cancel. Within 5 ulp of the reference, or
     * 2^-146·|g| absolute where E is a subnormal float (|x| above 13.2) and has lost bits. E is
     * inline, as in {@link #gelu}; a vector with a lane beyond ±{@value #GELU_SLOPE_FAST_MAX},
     * where E may not be a normal float, or NaN, scales it by 2^k in two steps instead of one.
     */
    private static void geluBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector halfSqrtHalf = FloatVector.broadcast(F, 0.5f * SQRT_HALF);
        FloatVector log2e = FloatVector.broadcast(F, VectorMath.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, VectorMath.ROUND_MAGIC);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -VectorMath.LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -VectorMath.LN2_LO);
        FloatVector p4 = FloatVector.broadcast(F, EXP_REST[4]);
        FloatVector p3 = FloatVector.broadcast(F, EXP_REST[3]);
        FloatVector p2 = FloatVector.broadcast(F, EXP_REST[2]);
        FloatVector p1 = FloatVector.broadcast(F, EXP_REST[1]);
        FloatVector p0 = FloatVector.broadcast(F, EXP_REST[0]);
        float[] c = GELU_SLOPE_FIT;
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector absX = xv.abs();
            FloatVector ax = absX.min(GELU_MAX);
            FloatVector halfAx = ax.mul(half);
            // -x²/2 = sq - sqErr exactly
            FloatVector sq = ax.mul(-0.5f).mul(ax);
            FloatVector sqErr = halfAx.fma(ax, sq);
            // as in gelu: sq - k·ln2hi is exact, the small rest joins it once
            FloatVector kMagic = sq.fma(log2e, magic);
            FloatVector k = kMagic.sub(magic);
            FloatVector r = k.fma(minusLn2Hi, sq).add(k.fma(minusLn2Lo, sqErr.neg()));
            FloatVector expR = p4.fma(r, p3).fma(r, p2).fma(r, p1).fma(r, p0).fma(r, one).fma(r, one);
            FloatVector e;
            if (ax.compare(VectorOperators.LE, GELU_SLOPE_FAST_MAX).allTrue()) {
                // E is a normal float: times 2^k by adding k to the exponent field
                e = expR.reinterpretAsInts().add(kMagic.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                        .reinterpretAsFloats();
            } else {
                // 2^k as two normal factors (k down to -185 at |x| = 16), so that a subnormal E is rounded once
                IntVector kBits = kMagic.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
                IntVector half1 = kBits.lanewise(VectorOperators.ASHR, 24).lanewise(VectorOperators.LSHL, 23);
                FloatVector s1 = half1.add(127 << 23).reinterpretAsFloats();
                FloatVector s2 = kBits.sub(half1).add(127 << 23).reinterpretAsFloats();
                e = expR.mul(s1).mul(s2);
            }
            FloatVector u = ax.mul(halfSqrtHalf).div(ax.fma(halfSqrtHalf, one));
            FloatVector fit = u.fma(c[9], c[8]).fma(u, FloatVector.broadcast(F, c[7])).fma(u, FloatVector.broadcast(F, c[6]))
                    .fma(u, FloatVector.broadcast(F, c[5])).fma(u, FloatVector.broadcast(F, c[4])).fma(u, FloatVector.broadcast(F, c[3]))
                    .fma(u, FloatVector.broadcast(F, c[2])).fma(u, FloatVector.broadcast(F, c[1]))
                    .fma(u, FloatVector.broadcast(F, c[0]));
            // from the unclamped |x|: at ±Inf, E·(a0 - a) is 0·Inf, NaN as in the reference's Φ(x) + x·φ(x)
            FloatVector toZero = FloatVector.broadcast(F, GELU_SLOPE_ZERO).sub(absX).add(GELU_SLOPE_ZERO_REST);
            FloatVector d = e.mul(toZero).mul(fit); // φ(x)·(R(a) - a)
            FloatVector.fromArray(F, g, i).mul(one.sub(d).blend(d, xv.lt(0f))).intoArray(out, i);
        }
    }

    /** {@code g·σ(x)}, σ as {@link #sigmoid} computes it: within 4 ulp of the reference. */
    private static void softplusBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        logisticTimes(g, x, out, from, end);
    }

    /**
     * {@code g·(s + x·s·(1 - s))} with s = σ(x), taken over {@code (1 + e)²} with {@code e = e^-|x|}:
     * {@code g·(1 + e + x·e)/(1 + e)²} from 0 on, {@code g·e·(1 + x + e)/(1 + e)²} below, where
     * nothing cancels but {@code 1 + x + e} around the zero at -1.28; that is {@code (1 + x) + e},
     * 1 + x exact there, and within {@value #SILU_NEAR} of the zero {@link #SILU_NUMERATOR}'s series
     * instead. Within 6 ulp of the reference (at x = -1.1994269, past the series' reach, in an
     * exhaustive check of [-87.3, 100]), or 2^-142·|g| absolute where σ(x) is a subnormal float
     * (x below -87.3) and has lost bits. The exponential is inline, as in
     * {@link #logisticSlopeTimes}; a vector with a lane beyond ±{@value #SLOPE_FAST_MAX}, or NaN,
     * scales it by 2^k in two steps instead of one.
     */
    private static void siluBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector two = FloatVector.broadcast(F, 2f);
        FloatVector minusLog2e = FloatVector.broadcast(F, -VectorMath.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, VectorMath.ROUND_MAGIC);
        FloatVector ln2Hi = FloatVector.broadcast(F, VectorMath.LN2_HI);
        FloatVector ln2Lo = FloatVector.broadcast(F, VectorMath.LN2_LO);
        // e^r = 1 + r + r²·Σ EXP_REST[j]·r^j in s = -r: the coefficient of s^j times (-1)^j, as in logisticSlopeTimes
        FloatVector q6 = FloatVector.broadcast(F, EXP_REST[4]);
        FloatVector q5 = FloatVector.broadcast(F, -EXP_REST[3]);
        FloatVector q4 = FloatVector.broadcast(F, EXP_REST[2]);
        FloatVector q3 = FloatVector.broadcast(F, -EXP_REST[1]);
        FloatVector q2 = FloatVector.broadcast(F, EXP_REST[0]);
        FloatVector q1 = FloatVector.broadcast(F, -1f);
        float[] c = SILU_NUMERATOR;
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector absX = xv.abs();
            boolean far = !absX.compare(VectorOperators.LE, SLOPE_FAST_MAX).allTrue();
            FloatVector ax = far ? absX.min(SILU_FAR) : absX; // NaN stays NaN
            // e = e^-|x| = 2^k·e^r by Cody-Waite, r = -s
            FloatVector kMagic = ax.fma(minusLog2e, magic);
            FloatVector k = kMagic.sub(magic);
            FloatVector s = k.fma(ln2Lo, k.fma(ln2Hi, ax));
            FloatVector expR = q6.fma(s, q5).fma(s, q4).fma(s, q3).fma(s, q2).fma(s, q1).fma(s, one);
            IntVector kBits = kMagic.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            FloatVector ev;
            if (!far) {
                ev = expR.reinterpretAsInts().add(kBits).reinterpretAsFloats();
            } else {
                // 2^k as two normal factors (k is down to -150), so that a subnormal e is rounded once
                IntVector half1 = kBits.lanewise(VectorOperators.ASHR, 24).lanewise(VectorOperators.LSHL, 23);
                ev = expR.mul(half1.add(127 << 23).reinterpretAsFloats()).mul(kBits.sub(half1).add(127 << 23).reinterpretAsFloats());
            }
            // 1 + x + e below 0, its series where it cancels; the series runs for every vector, since
            // a vector chosen in a branch is boxed (as in gelu), and that took 0.39 ns per element against 0.26
            VectorMask<Float> near = xv.compare(VectorOperators.GE, SILU_ZERO - SILU_NEAR)
                    .and(xv.compare(VectorOperators.LE, SILU_ZERO + SILU_NEAR));
            FloatVector u = xv.sub(SILU_ZERO).sub(SILU_ZERO_REST);
            FloatVector series = u.fma(c[3], c[2])
                    .fma(u, FloatVector.broadcast(F, c[1])).fma(u, FloatVector.broadcast(F, c[0])).mul(u);
            FloatVector sum = xv.add(one).add(ev).blend(series, near);
            FloatVector numerator = xv.fma(ev, ev.add(one)).blend(ev.mul(sum), xv.lt(0f));
            FloatVector square = ev.add(two).fma(ev, one); // (1 + e)² with one rounding fewer than squaring 1 + e
            FloatVector.fromArray(F, g, i).mul(numerator.div(square)).intoArray(out, i);
        }
    }

    /** Within 4 ulp of the reference ({@link VectorTrig}). */
    private static void sinBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        VectorTrig.backward(Unary.SIN, g, x, out, from, end);
    }

    /** Within 4 ulp of the reference ({@link VectorTrig}). */
    private static void cosBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        VectorTrig.backward(Unary.COS, g, x, out, from, end);
    }

    /** {@code g/(x + 1)}: within 1 ulp of the reference. */
    private static void log1pBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector.fromArray(F, g, i).div(FloatVector.fromArray(F, x, i).add(1f)).intoArray(out, i);
        }
    }

    /** {@code g·e^x}: within 4 ulp of the reference. */
    private static void expm1Backward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        float[] e = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.exp(x, b, false, 1f, 0f, e, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector.fromArray(F, g, b + i).mul(FloatVector.fromArray(F, e, i)).intoArray(out, b + i);
            }
        }
    }

    /** {@code -0.5·g·y³}, in the reference's order: within 6 ulp of the reference (formed in float from the rounded y, cubed). */
    private static void rsqrtBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector yv = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, g, i).mul(-0.5f).mul(yv).mul(yv).mul(yv).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : g·alpha·e^x}: within 3 ulp of the reference (reached below x = -6). */
    private static void eluBackward(float alpha, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        float[] e = scratch()[0];
        for (int b = from; b < end; b += BLOCK) {
            int n = Math.min(BLOCK, end - b);
            VectorMath.exp(x, b, false, 1f, 0f, e, 0, n);
            for (int i = 0; i < n; i += L) {
                FloatVector gv = FloatVector.fromArray(F, g, b + i);
                gv.mul(FloatVector.fromArray(F, e, i).mul(alpha)).blend(gv, FloatVector.fromArray(F, x, b + i).compare(VectorOperators.GT, 0f)).intoArray(out, b + i);
            }
        }
    }
}
