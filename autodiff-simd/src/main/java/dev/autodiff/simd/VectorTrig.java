package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;
import static dev.autodiff.simd.VectorMath.splat;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * sin and cos on float vectors. The argument is reduced by the nearest multiple of π/2 in
 * double, with π/2 split in two parts (fdlibm's {@code pio2_1}, {@code pio2_1t}), so that
 * the remainder keeps its float accuracy even next to a zero of the function; the Cephes
 * single-precision polynomials then give sin and cos on [-π/4, π/4]. Lanes beyond
 * {@link #LIMIT} (and ±Inf) are left to the scalar reference by the callers.
 */
final class VectorTrig {
    private VectorTrig() {}

    /** The largest |x| the vector path takes: the quadrant stays an exact float integer, the reduction exact to 1e-20. */
    static final float LIMIT = 1 << 20;

    private static final VectorSpecies<Double> D = ReductionKernels.D;
    private static final double TWO_OVER_PI = 0.6366197723675814;
    private static final double PIO2_HI = 1.5707963267341256; // the first 33 bits of π/2
    private static final double PIO2_LO = 6.077100506506192e-11; // π/2 - PIO2_HI
    private static final double ROUND_MAGIC_D = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer
    private static final float ROUND_MAGIC = 12582912f; // 1.5·2^23
    private static final int SIGN_BIT = 0x8000_0000;

    /** Whether no lane is beyond {@link #LIMIT} or infinite (NaN lanes may take the vector path). */
    static boolean inRange(FloatVector x) {
        return !x.abs().compare(VectorOperators.GT, LIMIT).anyTrue();
    }

    /** sin(x) within 2 ulp of the correctly rounded value, for |x| up to {@link #LIMIT}. */
    static FloatVector sin(FloatVector x) {
        IntVector sign = x.reinterpretAsInts().and(SIGN_BIT);
        return flipSign(quarterTurns(x.abs(), 0), sign);
    }

    /** cos(x) within 2 ulp of the correctly rounded value, for |x| up to {@link #LIMIT}. */
    static FloatVector cos(FloatVector x) {
        return quarterTurns(x.abs(), 1);
    }

    /**
     * {@code sin(ax + turns·π/2)} for {@code 0 <= ax <= LIMIT}: with {@code ax = q·π/2 + r},
     * the quadrant {@code n = q + turns} picks {@code ±sin r} or {@code ±cos r}.
     */
    private static FloatVector quarterTurns(FloatVector ax, int turns) {
        DoubleVector d0 = (DoubleVector) ax.convertShape(VectorOperators.F2D, D, 0);
        DoubleVector d1 = (DoubleVector) ax.convertShape(VectorOperators.F2D, D, 1);
        DoubleVector q0 = d0.fma(DoubleVector.broadcast(D, TWO_OVER_PI), DoubleVector.broadcast(D, ROUND_MAGIC_D))
                .sub(ROUND_MAGIC_D);
        DoubleVector q1 = d1.fma(DoubleVector.broadcast(D, TWO_OVER_PI), DoubleVector.broadcast(D, ROUND_MAGIC_D))
                .sub(ROUND_MAGIC_D);
        FloatVector r = join(remainder(d0, q0), remainder(d1, q1));
        IntVector n = join(q0, q1).add(ROUND_MAGIC).reinterpretAsInts().add(turns);
        FloatVector z = r.mul(r);
        FloatVector y = sinOfRemainder(r, z).blend(cosOfRemainder(z), n.and(1).compare(VectorOperators.NE, 0).cast(F));
        return flipSign(y, n.and(2).lanewise(VectorOperators.LSHL, 30));
    }

    /** {@code d - q·π/2} in double. */
    private static DoubleVector remainder(DoubleVector d, DoubleVector q) {
        DoubleVector r = q.fma(DoubleVector.broadcast(D, -PIO2_HI), d);
        return q.fma(DoubleVector.broadcast(D, -PIO2_LO), r);
    }

    /** The float lanes of two double vectors, the first in the lower half: each narrowing zeroes the other half. */
    private static FloatVector join(DoubleVector lower, DoubleVector upper) {
        FloatVector lo = (FloatVector) lower.convertShape(VectorOperators.D2F, F, 0);
        FloatVector hi = (FloatVector) upper.convertShape(VectorOperators.D2F, F, -1);
        return lo.reinterpretAsInts().or(hi.reinterpretAsInts()).reinterpretAsFloats();
    }

    private static FloatVector flipSign(FloatVector y, IntVector signBits) {
        return y.reinterpretAsInts().lanewise(VectorOperators.XOR, signBits).reinterpretAsFloats();
    }

    /** sin r for |r| <= π/4, with {@code z = r²}: Cephes' sinf polynomial. */
    private static FloatVector sinOfRemainder(FloatVector r, FloatVector z) {
        FloatVector p = splat(-1.9515295891E-4f);
        p = p.fma(z, splat(8.3321608736E-3f));
        p = p.fma(z, splat(-1.6666654611E-1f));
        return p.mul(z).fma(r, r);
    }

    /** cos r for |r| <= π/4, with {@code z = r²}: Cephes' cosf polynomial. */
    private static FloatVector cosOfRemainder(FloatVector z) {
        FloatVector p = splat(2.443315711809948E-5f);
        p = p.fma(z, splat(-1.388731625493765E-3f));
        p = p.fma(z, splat(4.166664568298827E-2f));
        return p.mul(z).fma(z, z.mul(-0.5f)).add(1f);
    }
}
