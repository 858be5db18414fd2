package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * sin and cos on float vectors, within 2 ulp of the correctly rounded value. The argument
 * is reduced by the nearest multiple of π/2 in double, with π/2 split in two parts
 * (fdlibm's {@code pio2_1}, {@code pio2_1t}), so that the remainder keeps its float
 * accuracy even next to a zero of the function; the Cephes single-precision polynomials
 * then give sin and cos on [-π/4, π/4]. A vector with a lane beyond {@link #LIMIT} (or
 * infinite) goes to the scalar reference.
 *
 * <p>Each loop holds the whole computation in its body, without calls of its own: a
 * vector function that C2 compiles separately is too big to inline afterwards, and a call
 * that is not inlined boxes its vectors (sin ran at scalar speed that way).
 */
final class VectorTrig {
    private VectorTrig() {}

    /** The largest |x| the vectors take: the quadrant stays an exact float integer, the reduction exact to 1e-20. */
    static final float LIMIT = 1 << 20;

    private static final int L = F.length();
    private static final VectorSpecies<Double> D = ReductionKernels.D;
    private static final double TWO_OVER_PI = 0.6366197723675814;
    private static final double PIO2_HI = 1.5707963267341256; // the first 33 bits of π/2
    private static final double PIO2_LO = 6.077100506506192e-11; // π/2 - PIO2_HI
    private static final double ROUND_MAGIC_D = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer
    private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23
    private static final int SIGN_BIT = 0x8000_0000;

    /** {@code out = op(x)} for {@code op} SIN or COS, over whole vectors in {@code [from, end)}. */
    static void forward(Unary op, float[] x, float[] out, int from, int end) {
        run(op, op == Unary.COS, 1f, null, x, out, from, end);
    }

    /** {@code out = g·op'(x)} for {@code op} SIN ({@code g·cos x}) or COS ({@code -g·sin x}), over whole vectors. */
    static void backward(Unary op, float[] g, float[] x, float[] out, int from, int end) {
        run(op, op == Unary.SIN, op == Unary.SIN ? 1f : -1f, g, x, out, from, end);
    }

    /**
     * {@code out = scale·g·(cos ? cos x : sin x)}, with a null {@code g} counting as ones; a
     * vector beyond the limit gets {@code op} or its derivative from the scalar reference.
     */
    private static void run(Unary op, boolean cos, float scale, float[] g, float[] x, float[] out, int from, int end) {
        // sin(|x| + turns·π/2): cos x for turns 1; sin x for turns 0 with the sign of x put back
        int turns = cos ? 1 : 0;
        int oddMask = cos ? 0 : SIGN_BIT;
        DoubleVector twoOverPi = DoubleVector.broadcast(D, TWO_OVER_PI);
        DoubleVector magic = DoubleVector.broadcast(D, ROUND_MAGIC_D);
        DoubleVector minusHi = DoubleVector.broadcast(D, -PIO2_HI);
        DoubleVector minusLo = DoubleVector.broadcast(D, -PIO2_LO);
        for (int i = from; i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector ax = xv.abs();
            if (ax.compare(VectorOperators.GT, LIMIT).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    out[j] = g == null ? ScalarMath.apply(op, 0f, x[j]) : ScalarMath.derivative(op, 0f, g[j], x[j], 0f);
                }
                continue;
            }
            // q = nearest integer to |x|/(π/2) and r = |x| - q·π/2, in double, one half of the lanes at a time
            DoubleVector d0 = (DoubleVector) ax.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d1 = (DoubleVector) ax.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector q0 = d0.fma(twoOverPi, magic).sub(magic);
            DoubleVector q1 = d1.fma(twoOverPi, magic).sub(magic);
            DoubleVector r0 = q0.fma(minusLo, q0.fma(minusHi, d0));
            DoubleVector r1 = q1.fma(minusLo, q1.fma(minusHi, d1));
            // back to float lanes: each narrowing fills half the lanes and zeroes the rest, so OR joins them
            FloatVector r = ((FloatVector) r0.convertShape(VectorOperators.D2F, F, 0)).reinterpretAsInts()
                    .or(((FloatVector) r1.convertShape(VectorOperators.D2F, F, -1)).reinterpretAsInts()).reinterpretAsFloats();
            FloatVector q = ((FloatVector) q0.convertShape(VectorOperators.D2F, F, 0)).reinterpretAsInts()
                    .or(((FloatVector) q1.convertShape(VectorOperators.D2F, F, -1)).reinterpretAsInts()).reinterpretAsFloats();
            IntVector quadrant = q.add(ROUND_MAGIC).reinterpretAsInts().add(turns);
            FloatVector z = r.mul(r);
            // Cephes sinf and cosf on [-π/4, π/4]
            FloatVector s = z.fma(-1.9515295891E-4f, 8.3321608736E-3f).fma(z, FloatVector.broadcast(F, -1.6666654611E-1f))
                    .mul(z).fma(r, r);
            FloatVector c = z.fma(2.443315711809948E-5f, -1.388731625493765E-3f)
                    .fma(z, FloatVector.broadcast(F, 4.166664568298827E-2f)).mul(z).fma(z, z.mul(-0.5f)).add(1f);
            // quadrant n: sin r, cos r, -sin r, -cos r
            FloatVector y = s.blend(c, quadrant.and(1).compare(VectorOperators.NE, 0).cast(F));
            IntVector sign = quadrant.and(2).lanewise(VectorOperators.LSHL, 30)
                    .lanewise(VectorOperators.XOR, xv.reinterpretAsInts().and(oddMask));
            y = y.reinterpretAsInts().lanewise(VectorOperators.XOR, sign).reinterpretAsFloats();
            if (g != null) {
                y = y.mul(FloatVector.fromArray(F, g, i).mul(scale));
            }
            y.intoArray(out, i);
        }
    }
}
