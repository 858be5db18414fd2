package dev.autodiff.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions on float vectors, by range reduction and polynomials (the
 * Cephes single-precision fits; erf with the fit {@link dev.autodiff.kernel.ScalarMath}
 * uses). Each handles ±0, ±Inf and NaN like {@link Math} and saturates exactly. They are
 * faster than {@code lanewise(VectorOperators.EXP)}, which calls a library per vector.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int SIGN_BIT = 0x8000_0000;

    // exp: e^x = 2^k · e^r with r = x - k·ln2 in [-ln2/2, ln2/2]
    private static final float EXP_MIN = -104f; // below: e^x rounds to 0
    private static final float EXP_MAX = 89f; // above: e^x overflows to +Inf
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-06f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer in the low bits

    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float TWO_OVER_SQRT_PI = 1.1283791670955126f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    static FloatVector splat(float v) {
        return FloatVector.broadcast(F, v);
    }

    /** {@code x} with lanes below {@code lo} or above {@code hi} set to that bound; NaN stays NaN. */
    static FloatVector clamp(FloatVector x, float lo, float hi) {
        return x.blend(splat(lo), x.lt(lo)).blend(splat(hi), x.compare(VectorOperators.GT, hi));
    }

    /** {@code |r|} with the sign of {@code sign}; {@code r} must have a clear sign bit. */
    static FloatVector withSignOf(FloatVector r, FloatVector sign) {
        return r.reinterpretAsInts().or(sign.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
    }

    /** e^x within about 1 ulp, subnormal results included. */
    static FloatVector exp(FloatVector x) {
        FloatVector c = clamp(x, EXP_MIN, EXP_MAX);
        FloatVector t = c.fma(splat(LOG2E), splat(ROUND_MAGIC));
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.fma(splat(-LN2_HI), c);
        r = k.fma(splat(-LN2_LO), r);
        FloatVector p = splat(1.9875691500E-4f);
        p = p.fma(r, splat(1.3981999507E-3f));
        p = p.fma(r, splat(8.3334519073E-3f));
        p = p.fma(r, splat(4.1665795894E-2f));
        p = p.fma(r, splat(1.6666665459E-1f));
        p = p.fma(r, splat(5.0000001201E-1f));
        p = p.fma(r.mul(r), r).add(1f);
        // 2^k in two factors so that k down to -150 (subnormal results) and up to 128 stay exact
        IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = ki.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** The natural logarithm within about 1 ulp; NaN below 0, -Inf at ±0. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), subnormal); // scale subnormals by 2^23
        IntVector bits = xs.reinterpretAsInts();
        // the biased exponent as a float: OR it into the mantissa of 2^23 and subtract (no I2F intrinsic at 512 bits)
        FloatVector e = bits.lanewise(VectorOperators.LSHR, 23).or(0x4B00_0000).reinterpretAsFloats().sub(8388608f + 127f);
        e = e.sub(splat(23f), subnormal);
        FloatVector m = bits.and(0x007f_ffff).or(0x3f80_0000).reinterpretAsFloats(); // mantissa in [1, 2)
        VectorMask<Float> upper = m.compare(VectorOperators.GE, 1.41421356f);
        FloatVector f = m.blend(m.mul(0.5f), upper).sub(1f);
        e = e.add(splat(1f), upper);
        return logSpecialCases(x, logOfMantissa(f, e));
    }

    /** {@code log(1 + f) + e·ln2} for f in [√½-1, √2-1], the Cephes fit (a method of its own to stay small enough to inline). */
    private static FloatVector logOfMantissa(FloatVector f, FloatVector e) {
        FloatVector z = f.mul(f);
        FloatVector y = splat(7.0376836292E-2f);
        y = y.fma(f, splat(-1.1514610310E-1f));
        y = y.fma(f, splat(1.1676998740E-1f));
        y = y.fma(f, splat(-1.2420140846E-1f));
        y = y.fma(f, splat(1.4249322787E-1f));
        y = y.fma(f, splat(-1.6668057665E-1f));
        y = y.fma(f, splat(2.0000714765E-1f));
        y = y.fma(f, splat(-2.4999993993E-1f));
        y = y.fma(f, splat(3.3333331174E-1f));
        y = y.mul(f).mul(z);
        y = e.fma(splat(-2.12194440e-4f), y);
        y = z.fma(splat(-0.5f), y);
        return e.fma(splat(0.693359375f), f.add(y));
    }

    private static FloatVector logSpecialCases(FloatVector x, FloatVector r) {
        r = r.blend(splat(Float.NaN), x.lt(0f).or(x.test(VectorOperators.IS_NAN)));
        r = r.blend(splat(Float.NEGATIVE_INFINITY), x.eq(0f));
        return r.blend(splat(Float.POSITIVE_INFINITY), x.eq(Float.POSITIVE_INFINITY));
    }

    /**
     * {@code log(1 + x)} within a few ulp, accurate when x is tiny (Goldberg's correction
     * {@code log(u)·x/(u - 1)} with {@code u = 1 + x}); -Inf at -1, NaN below.
     */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector r = log(u).mul(x.div(u.sub(1f)));
        return r.blend(x, u.eq(1f)).blend(u, x.eq(Float.POSITIVE_INFINITY));
    }

    /** tanh within a few ulp: an odd polynomial below 0.625, else {@code 1 - 2/(e^{2|x|}+1)}; saturates to ±1. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector s = ax.mul(ax);
        FloatVector p = splat(-5.70498872745E-3f);
        p = p.fma(s, splat(2.06390887954E-2f));
        p = p.fma(s, splat(-5.37397155531E-2f));
        p = p.fma(s, splat(1.33314422036E-1f));
        p = p.fma(s, splat(-3.33332819422E-1f));
        FloatVector small = p.mul(s).fma(ax, ax);
        FloatVector large = splat(1f).sub(splat(2f).div(exp(ax.add(ax)).add(1f)));
        FloatVector r = large.blend(small, ax.lt(0.625f));
        // few vector calls here: C2 stops inlining past a node budget, and tanh is near it
        return r.blend(r.neg(), x.test(VectorOperators.IS_NEGATIVE));
    }

    /** The logistic function from {@code e = e^-|x|}: {@code 1/(1+e)}, or {@code e/(1+e)} for negative x. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = splat(1f).div(e.add(1f));
        return r.blend(e.mul(r), x.lt(0f));
    }

    /** The logistic function's derivative {@code σ(x)·σ(-x) = e/(1 + e)²} with {@code e = e^-|x|}, accurate where σ saturates. */
    static FloatVector logisticSlope(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector d = e.add(1f);
        return e.div(d.mul(d));
    }

    /** erf(z) for {@code 0 <= z < 0.5} by its Taylor series, to the term float precision needs. */
    private static FloatVector erfSeries(FloatVector z) {
        FloatVector z2 = z.mul(z);
        FloatVector p = splat(-1f / 75600f);
        p = p.fma(z2, splat(1f / 9360f));
        p = p.fma(z2, splat(-1f / 1320f));
        p = p.fma(z2, splat(1f / 216f));
        p = p.fma(z2, splat(-1f / 42f));
        p = p.fma(z2, splat(1f / 10f));
        p = p.fma(z2, splat(-1f / 3f));
        p = p.fma(z2, splat(1f));
        return p.mul(z).mul(TWO_OVER_SQRT_PI);
    }

    /**
     * erfc(z) for {@code z >= 0} by the Numerical Recipes fit the reference uses, where
     * {@code z² = zzHi + zzLo} is given exactly: e^{-z²} is sensitive to its rounding.
     */
    private static FloatVector erfc(FloatVector z, FloatVector zzHi, FloatVector zzLo) {
        FloatVector t = splat(1f).div(z.fma(splat(0.5f), splat(1f)));
        FloatVector q = splat(0.17087277f);
        q = q.fma(t, splat(-0.82215223f));
        q = q.fma(t, splat(1.48851587f));
        q = q.fma(t, splat(-1.13520398f));
        q = q.fma(t, splat(0.27886807f));
        q = q.fma(t, splat(-0.18628806f));
        q = q.fma(t, splat(0.09678418f));
        q = q.fma(t, splat(0.37409196f));
        q = q.fma(t, splat(1.00002368f));
        q = q.fma(t, splat(-1.26551223f));
        return t.mul(exp(q)).mul(exp(zzHi.neg())).mul(splat(1f).sub(zzLo));
    }

    /** The error function within a few ulp. */
    static FloatVector erf(FloatVector x) {
        FloatVector z = clamp(x.abs(), 0f, 10f);
        FloatVector zzHi = z.mul(z);
        FloatVector zzLo = z.fma(z, zzHi.neg());
        FloatVector big = splat(1f).sub(erfc(z, zzHi, zzLo));
        return withSignOf(big.blend(erfSeries(z), z.lt(0.5f)), x);
    }

    /** {@code e^{-s·x²}} for a power of two s, with x² split exactly into two floats. */
    static FloatVector expNegSquare(FloatVector x, float s) {
        FloatVector ax = clamp(x.abs(), 0f, 16f);
        FloatVector hi = ax.mul(ax);
        FloatVector lo = ax.fma(ax, hi.neg());
        return exp(hi.mul(-s)).mul(splat(1f).sub(lo.mul(s)));
    }

    /** The standard normal CDF Φ(x), without cancellation in the lower tail. */
    static FloatVector normalCdf(FloatVector x) {
        FloatVector ax = clamp(x.abs(), 0f, 16f);
        FloatVector z = ax.mul(SQRT_HALF);
        FloatVector hi = ax.mul(ax);
        FloatVector zzHi = hi.mul(0.5f);
        FloatVector zzLo = ax.fma(ax, hi.neg()).mul(0.5f);
        FloatVector halfErfc = erfc(z, zzHi, zzLo).mul(0.5f);
        FloatVector halfErf = erfSeries(z).mul(0.5f);
        VectorMask<Float> small = z.lt(0.5f);
        FloatVector upper = splat(1f).sub(halfErfc).blend(halfErf.add(0.5f), small);
        FloatVector lower = halfErfc.blend(splat(0.5f).sub(halfErf), small);
        return upper.blend(lower, x.lt(0f));
    }

    /** The standard normal density {@code e^{-x²/2}/√(2π)}. */
    static FloatVector normalPdf(FloatVector x) {
        return expNegSquare(x, 0.5f).mul(INV_SQRT_2PI);
    }

    /** {@code log(1 + e^x)} as {@code max(x, 0) + log1p(e^{-|x|})}. */
    static FloatVector softplus(FloatVector x) {
        FloatVector positive = x.blend(splat(0f), x.lt(0f));
        return positive.add(log1p(exp(x.abs().neg())));
    }

    /**
     * {@code e^x - 1} within 3 ulp: for |x| < 0.5, where {@code e^x - 1} would cancel, the
     * Taylor polynomial {@code x·(1 + x/2 + ... + x^7/8!)} (truncation below 0.2 ulp); else
     * {@code exp(x) - 1}.
     */
    static FloatVector expm1(FloatVector x) {
        FloatVector p = splat(1f / 40320f);
        p = p.fma(x, splat(1f / 5040f));
        p = p.fma(x, splat(1f / 720f));
        p = p.fma(x, splat(1f / 120f));
        p = p.fma(x, splat(1f / 24f));
        p = p.fma(x, splat(1f / 6f));
        p = p.fma(x, splat(0.5f));
        p = p.fma(x, splat(1f));
        return exp(x).sub(1f).blend(x.mul(p), x.abs().lt(0.5f));
    }
}
