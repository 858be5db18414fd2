package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code x^p} and its derivative {@code g·p·x^(p-1)} on float vectors, computed in double
 * lanes as the reference computes them in double (but x², which float arithmetic rounds
 * as well at twice the lanes), so that each result is the float nearest a value within
 * about 1e-13 of the exact one: within 1 ulp of the reference, and the same bits but where
 * the exact value lies next to a rounding boundary. x³ alone is {@code (x·x)·x} in float,
 * as PyTorch and JAX compute it: within 1 ulp of the reference over every float (a quarter
 * of the cubes in the normal floats are 1 ulp off), but at ±6.9814636e12, where x² rounds
 * up and the product overflows to ±Inf though the exact cube rounds to ±Float.MAX_VALUE.
 * An integer power up to {@value #MAX_INTEGER_POWER} in magnitude is repeated squaring
 * (exact for the square of a float, which makes x² and its derivative 2·g·x bit-exact);
 * IEEE arithmetic then gives the special values {@link Math#pow} gives. A half-integer
 * power {@code ±n/2}, odd n up to {@value #MAX_INTEGER_POWER}, is the double square root
 * of x^n so formed (of a positive normal float x; the reference decides the others); any
 * other power is {@code e^{p·log x}} with the logarithm from
 * {@code 2·atanh((m-1)/(m+1))} and e^y from its Taylor polynomial, both to about 1e-14; a
 * vector with a lane that is not a positive normal float goes to the scalar reference.
 *
 * <p>The loop holds its whole computation, as {@link VectorTrig}'s does: a vector helper C2
 * compiles on its own and then declines to inline boxes its vectors. It takes half a float
 * vector at a time, whose lanes widen to one vector of doubles.
 */
final class VectorPow {
    private VectorPow() {}

    /** Integer powers up to this magnitude are repeated multiplication: at most 6 squarings and 6 products. */
    static final int MAX_INTEGER_POWER = 127;

    private static final VectorSpecies<Double> D = ReductionKernels.D;
    /** Floats as many as the doubles of {@link #D}: half of {@link VectorMath#F}. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final int H = HALF.length();
    private static final double LN2 = 0.6931471805599453;
    private static final double LN2_HI = 6.93147180369123816490e-01; // ln2 with the low 32 bits clear
    private static final double LN2_LO = 1.90821492927058770002e-10; // ln2 - LN2_HI
    private static final double INV_LN2 = 1.4426950408889634;
    private static final double ROUND_MAGIC = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer in the low bits
    /** {@code (1023 << 52) - (bits(ROUND_MAGIC) << 52)}: turns the shifted bits of {@code ROUND_MAGIC + n} into those of 2^n. */
    private static final long EXP_REBIAS = (1023L << 52) - (Double.doubleToRawLongBits(ROUND_MAGIC) << 52);
    /**
     * The exponent y of e^y is clamped to these: from -708, 2^n stays a normal double, and
     * e^-708 times any float g·p still rounds to a float 0; at 710, n = 1024 makes 2^n the
     * bits of +Inf, as the reference's x^e overflows there.
     */
    private static final double Y_MIN = -708;
    private static final double Y_MAX = 710;

    /** {@code out = x^p} over whole vectors in {@code [from, end)}. */
    static void forward(float p, float[] x, float[] out, int from, int end) {
        if (p == 2f) {
            // x·x rounded once in float is the float nearest the exact square, as (float) of the exact
            // double one; a plain loop, which C2 vectorizes and aligns to the arrays, as UnaryLoops' ReLU
            for (int i = from; i < end; i++) {
                out[i] = x[i] * x[i];
            }
            return;
        }
        if (p == 3f) {
            // (x·x)·x, two roundings, as PyTorch and JAX compute x³: within 1 ulp of the reference,
            // and a plain loop, which C2 vectorizes and aligns to the arrays, where an FMA form
            // needs a choice per element for its overflow (see the class comment)
            for (int i = from; i < end; i++) {
                out[i] = x[i] * x[i] * x[i];
            }
            return;
        }
        run(p, p, null, x, out, from, end);
    }

    /** {@code out = g·p·x^(p-1)} over whole vectors in {@code [from, end)}. */
    static void backward(float p, float[] g, float[] x, float[] out, int from, int end) {
        if (p == 0f) {
            scalar(p, g, x, out, from, end); // x^0 = 1: slope 0, where g·0·x^-1 would be NaN at 0
            return;
        }
        run(p, p - 1.0, g, x, out, from, end);
    }

    private static void scalar(float p, float[] g, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i++) {
            out[i] = g == null ? ScalarMath.apply(Unary.POW, p, x[i]) : ScalarMath.derivative(Unary.POW, p, g[i], x[i], 0f);
        }
    }

    /**
     * With a null {@code g}, {@code x^e}; else {@code g·p·x^e}, formed in double and rounded
     * once. Half a float vector at a time: its lanes widen to one double vector.
     */
    private static void run(float p, double e, float[] g, float[] x, float[] out, int from, int end) {
        if (Double.isNaN(e) || Double.isInfinite(e)) {
            scalar(p, g, x, out, from, end);
            return;
        }
        boolean integer = e == Math.rint(e) && Math.abs(e) <= MAX_INTEGER_POWER;
        boolean halfInteger = !integer && 2 * e == Math.rint(2 * e) && Math.abs(2 * e) <= MAX_INTEGER_POWER;
        int power = (int) Math.abs(halfInteger ? 2 * e : e);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        for (int i = from; i < end; i += H) {
            FloatVector xv = FloatVector.fromArray(HALF, x, i);
            DoubleVector r;
            if (integer || halfInteger && xv.compare(VectorOperators.GE, Float.MIN_NORMAL).and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY)).allTrue()) {
                // x^power by squaring, written out: a loop carrying vectors from one pass to the next boxes them
                DoubleVector b = (DoubleVector) xv.convertShape(VectorOperators.F2D, D, 0);
                r = (power & 1) != 0 ? b : one;
                if (power >= 2) {
                    b = b.mul(b);
                    r = (power & 2) != 0 ? r.mul(b) : r;
                }
                if (power >= 4) {
                    b = b.mul(b);
                    r = (power & 4) != 0 ? r.mul(b) : r;
                }
                if (power >= 8) {
                    b = b.mul(b);
                    r = (power & 8) != 0 ? r.mul(b) : r;
                }
                if (power >= 16) {
                    b = b.mul(b);
                    r = (power & 16) != 0 ? r.mul(b) : r;
                }
                if (power >= 32) {
                    b = b.mul(b);
                    r = (power & 32) != 0 ? r.mul(b) : r;
                }
                if (power >= 64) {
                    b = b.mul(b);
                    r = (power & 64) != 0 ? r.mul(b) : r;
                }
                if (halfInteger) {
                    // x^(2e) within a few roundings of double, and the square root correctly rounded:
                    // as near as e^{p·log x} gets, for less; x^(2e) overflows or underflows a double
                    // only where x^e overflows or underflows a float
                    r = r.sqrt();
                }
                if (e < 0) {
                    r = one.div(r);
                }
            } else if (!xv.compare(VectorOperators.GE, Float.MIN_NORMAL).and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY)).allTrue()) {
                scalar(p, g, x, out, i, i + H); // zeros, negatives, subnormals, ±Inf, NaN: the reference decides
                continue;
            } else {
                // x = 2^k·m with m in [√½, √2): f = m - 1 and k, both exact in float
                IntVector bits = xv.reinterpretAsInts();
                FloatVector mantissa = bits.and(0x007f_ffff).or(0x3f80_0000).reinterpretAsFloats();
                VectorMask<Float> upper = mantissa.compare(VectorOperators.GE, 1.41421356f);
                FloatVector f = mantissa.blend(mantissa.mul(0.5f), upper).sub(1f);
                FloatVector k = bits.lanewise(VectorOperators.LSHR, 23).or(0x4B00_0000).reinterpretAsFloats()
                        .sub(8388608f + 127f).add(FloatVector.broadcast(HALF, 1f), upper);
                DoubleVector fd = (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector kd = (DoubleVector) k.convertShape(VectorOperators.F2D, D, 0);
                // log m = 2·atanh(s), s = f/(2 + f) in [-0.172, 0.172]: 2s·Σ s^2j/(2j+1), j ≤ 8, to 4e-14
                DoubleVector s = fd.div(fd.add(2.0));
                DoubleVector s2 = s.mul(s);
                DoubleVector poly = DoubleVector.broadcast(D, 1.0 / 17);
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 15));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 13));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 11));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 9));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 7));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 5));
                poly = poly.fma(s2, DoubleVector.broadcast(D, 1.0 / 3));
                DoubleVector twoS = s.add(s);
                DoubleVector logM = twoS.mul(poly.mul(s2)).add(twoS);
                DoubleVector y = kd.fma(DoubleVector.broadcast(D, LN2), logM).mul(e).max(Y_MIN).min(Y_MAX);
                // e^y = 2^n·e^r, r = y - n·ln2 in [-0.35, 0.35]: Taylor to r^11/11!, to 7e-15
                DoubleVector t = y.fma(DoubleVector.broadcast(D, INV_LN2), DoubleVector.broadcast(D, ROUND_MAGIC));
                DoubleVector n = t.sub(ROUND_MAGIC);
                DoubleVector red = n.fma(DoubleVector.broadcast(D, -LN2_HI), y);
                red = n.fma(DoubleVector.broadcast(D, -LN2_LO), red);
                DoubleVector q = DoubleVector.broadcast(D, 1.0 / 39916800);
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 3628800));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 362880));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 40320));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 5040));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 720));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 120));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 24));
                q = q.fma(red, DoubleVector.broadcast(D, 1.0 / 6));
                q = q.fma(red, DoubleVector.broadcast(D, 0.5));
                q = q.fma(red, one);
                q = q.fma(red, one);
                // t holds n in its low bits: shifting them into the exponent field and rebiasing gives 2^n
                LongVector scale = ((LongVector) t.reinterpretAsLongs()).lanewise(VectorOperators.LSHL, 52).add(EXP_REBIAS);
                r = q.mul(scale.reinterpretAsDoubles());
            }
            if (g != null) {
                r = ((DoubleVector) FloatVector.fromArray(HALF, g, i).convertShape(VectorOperators.F2D, D, 0)).mul(p).mul(r);
            }
            ((FloatVector) r.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(out, i);
        }
    }
}
