package dev.autodiff.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transcendental functions over runs of a float array, by range reduction and polynomials
 * (the Cephes single-precision fits; erfc with the fit {@link dev.autodiff.kernel.ScalarMath}
 * uses), the stages the activation kernels of {@link UnaryLoops} are built from. Each
 * handles ±0, ±Inf and NaN like {@link Math} and saturates exactly. They are faster than
 * {@code lanewise(VectorOperators.EXP)}, which calls a library per vector, and the same in
 * every JIT tier.
 *
 * <p>A stage takes arrays, not vectors, and its loop calls nothing but the Vector API. C2
 * inlines the Vector API whatever the size of the method, but our own methods only until
 * about 18,000 IR nodes (some 40 vector operations) have been parsed, or not at all once
 * they were compiled on their own to more than 2.5 KB; a vector function left as a call
 * boxes its vectors, which made GELU 60 times slower (docs/performance-kernels.md). A stage
 * left as a call costs nothing of the kind. Each stage takes whole vectors: {@code n} is a
 * multiple of the vector length.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    // exp: e^x = 2^k · e^r with r = x - k·ln2 in [-ln2/2, ln2/2]
    static final float EXP_MIN = -104f; // below: e^x rounds to 0
    private static final float EXP_MAX = 89f; // above: e^x overflows to +Inf
    /** Where 2^k is a normal float (k in [-126, 127]): a vector within takes the short path. */
    static final float EXP_NORMAL_MIN = -87.3f;
    private static final float EXP_NORMAL_MAX = 88.3f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.428606765330187e-06f;
    static final float ROUND_MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer in the low bits
    /** {@code (127 << 23) - (bits(ROUND_MAGIC) << 23)}: turns the shifted bits of {@code ROUND_MAGIC + k} into those of 2^k. */
    static final int EXP_REBIAS = (127 << 23) - (Float.floatToRawIntBits(ROUND_MAGIC) << 23);
    /**
     * Cephes' {@code e^r = 1 + r + r²·Σ EXP_POLY[i]·r^i} on [-ln2/2, ln2/2]; a loop that writes
     * {@link #exp}'s short path out inline takes these, in that order, for the same bits.
     */
    static final float[] EXP_POLY = {5.0000001201E-1f, 1.6666665459E-1f, 4.1665795894E-2f, 8.3334519073E-3f,
        1.3981999507E-3f, 1.9875691500E-4f};

    private static final float SQRT_2 = 1.41421356f;

    /**
     * {@code dst[d + i] = e^(scale·a + shift)} for {@code i < n}, where {@code a} is
     * {@code src[s + i]}, or its magnitude with {@code abs}; within 1 ulp, subnormal results
     * included (the scaled argument is rounded once, by FMA). A vector whose lanes all lie
     * where 2^k is normal takes the short path; the others are clamped and scaled by 2^k in
     * two factors, so that k down to -150 (subnormal results) and up to 128 stay exact, and
     * give the same bits on the short path's lanes. {@code dst} may be {@code src}.
     *
     * <p>No vector is chosen between two others (the magnitude is a mask on the bits): C2
     * inlines a call on such a merged vector only through a type profile, and boxes it
     * without one.
     */
    static void exp(float[] src, int s, boolean abs, float scale, float shift, float[] dst, int d, int n) {
        IntVector keptBits = IntVector.broadcast(I, abs ? 0x7fff_ffff : -1);
        FloatVector scaleV = FloatVector.broadcast(F, scale);
        FloatVector shiftV = FloatVector.broadcast(F, shift);
        FloatVector log2e = FloatVector.broadcast(F, LOG2E);
        FloatVector magic = FloatVector.broadcast(F, ROUND_MAGIC);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -LN2_LO);
        FloatVector c5 = FloatVector.broadcast(F, EXP_POLY[5]);
        FloatVector c4 = FloatVector.broadcast(F, EXP_POLY[4]);
        FloatVector c3 = FloatVector.broadcast(F, EXP_POLY[3]);
        FloatVector c2 = FloatVector.broadcast(F, EXP_POLY[2]);
        FloatVector c1 = FloatVector.broadcast(F, EXP_POLY[1]);
        FloatVector c0 = FloatVector.broadcast(F, EXP_POLY[0]);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(F, src, s + i).reinterpretAsInts().and(keptBits).reinterpretAsFloats()
                    .fma(scaleV, shiftV);
            if (x.compare(VectorOperators.GE, EXP_NORMAL_MIN).and(x.compare(VectorOperators.LE, EXP_NORMAL_MAX)).allTrue()) {
                FloatVector t = x.fma(log2e, magic);
                FloatVector k = t.sub(magic);
                FloatVector r = k.fma(minusLn2Lo, k.fma(minusLn2Hi, x));
                FloatVector p = c5.fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0).fma(r.mul(r), r).add(1f);
                // t holds k in its low bits: shifting them into the exponent field and rebiasing gives 2^k
                IntVector scaleBits = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(EXP_REBIAS);
                p.mul(scaleBits.reinterpretAsFloats()).intoArray(dst, d + i);
            } else {
                // clamped (NaN stays NaN), and 2^k as two normal factors
                FloatVector c = x.blend(EXP_MIN, x.lt(EXP_MIN)).blend(EXP_MAX, x.compare(VectorOperators.GT, EXP_MAX));
                FloatVector t = c.fma(log2e, magic);
                FloatVector k = t.sub(magic);
                FloatVector r = k.fma(minusLn2Lo, k.fma(minusLn2Hi, c));
                FloatVector p = c5.fma(r, c4).fma(r, c3).fma(r, c2).fma(r, c1).fma(r, c0).fma(r.mul(r), r).add(1f);
                IntVector ki = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
                IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
                FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                p.mul(s1).mul(s2).intoArray(dst, d + i);
            }
        }
    }

    /**
     * {@code dst[d + i] = e^{src[s + i]} - 1} for {@code i < n}, within 3 ulp: for |x| < 0.5,
     * where {@code e^x - 1} would cancel, the Taylor polynomial {@code x·(1 + x/2 + ... + x^7/8!)}
     * (truncation below 0.2 ulp); else {@code exp(x) - 1}. {@code dst} must not be {@code src}.
     */
    static void expm1(float[] src, int s, float[] dst, int d, int n) {
        exp(src, s, false, 1f, 0f, dst, d, n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(F, src, s + i);
            FloatVector p = FloatVector.broadcast(F, 1f / 40320f)
                    .fma(x, FloatVector.broadcast(F, 1f / 5040f))
                    .fma(x, FloatVector.broadcast(F, 1f / 720f))
                    .fma(x, FloatVector.broadcast(F, 1f / 120f))
                    .fma(x, FloatVector.broadcast(F, 1f / 24f))
                    .fma(x, FloatVector.broadcast(F, 1f / 6f))
                    .fma(x, FloatVector.broadcast(F, 0.5f))
                    .fma(x, one);
            FloatVector.fromArray(F, dst, d + i).sub(one).blend(x.mul(p), x.abs().lt(0.5f)).intoArray(dst, d + i);
        }
    }

    /**
     * {@code dst[d + i] = log(src[s + i])} for {@code i < n}, within 1 ulp; NaN below 0, -Inf
     * at ±0. A vector with a zero, negative, subnormal, infinite or NaN lane takes three
     * detours: subnormals are scaled by 2^23 first, and the special values are put right
     * after. {@code dst} may be {@code src}.
     */
    static void log(float[] src, int s, float[] dst, int d, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(F, src, s + i);
            boolean normal = x.compare(VectorOperators.GE, Float.MIN_NORMAL).and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY)).allTrue();
            VectorMask<Float> subnormal = x.lt(Float.MIN_NORMAL);
            FloatVector xs = normal ? x : x.blend(x.mul(8388608f), subnormal);
            IntVector bits = xs.reinterpretAsInts();
            FloatVector m = bits.and(0x007f_ffff).or(0x3f80_0000).reinterpretAsFloats(); // mantissa in [1, 2)
            VectorMask<Float> upper = m.compare(VectorOperators.GE, SQRT_2);
            FloatVector f = m.blend(m.mul(0.5f), upper).sub(1f);
            // the biased exponent as a float: ORed into the mantissa of 2^23 and subtracted (no I2F intrinsic at 512 bits)
            FloatVector e = bits.lanewise(VectorOperators.LSHR, 23).or(0x4B00_0000).reinterpretAsFloats()
                    .sub(8388608f + 127f).add(one, upper);
            if (!normal) {
                e = e.sub(FloatVector.broadcast(F, 23f), subnormal);
            }
            // log(1 + f) + e·ln2 for f in [√½-1, √2-1], the Cephes fit
            FloatVector z = f.mul(f);
            FloatVector y = FloatVector.broadcast(F, 7.0376836292E-2f)
                    .fma(f, FloatVector.broadcast(F, -1.1514610310E-1f))
                    .fma(f, FloatVector.broadcast(F, 1.1676998740E-1f))
                    .fma(f, FloatVector.broadcast(F, -1.2420140846E-1f))
                    .fma(f, FloatVector.broadcast(F, 1.4249322787E-1f))
                    .fma(f, FloatVector.broadcast(F, -1.6668057665E-1f))
                    .fma(f, FloatVector.broadcast(F, 2.0000714765E-1f))
                    .fma(f, FloatVector.broadcast(F, -2.4999993993E-1f))
                    .fma(f, FloatVector.broadcast(F, 3.3333331174E-1f))
                    .mul(f).mul(z);
            y = e.fma(FloatVector.broadcast(F, -2.12194440e-4f), y);
            y = z.fma(FloatVector.broadcast(F, -0.5f), y);
            FloatVector r = e.fma(FloatVector.broadcast(F, 0.693359375f), f.add(y));
            if (!normal) {
                r = r.blend(FloatVector.broadcast(F, Float.NaN), x.lt(0f).or(x.test(VectorOperators.IS_NAN)))
                        .blend(FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), x.eq(0f))
                        .blend(FloatVector.broadcast(F, Float.POSITIVE_INFINITY), x.eq(Float.POSITIVE_INFINITY));
            }
            r.intoArray(dst, d + i);
        }
    }
}
