package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one documented order: fold the upper half of the lanes
 * onto the lower half ({@code v[i] + v[i + n/2]} for each {@code i < n/2}), then the upper
 * half of what is left, down to one lane. For 8 lanes that is
 * {@code ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7))}.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order unspecified, and HotSpot uses that freedom:
 * the Vector API's Java code adds the lanes one after the other, C2's intrinsic in a tree,
 * so a sum changed its last bits once C2 had compiled the caller, and training runs were
 * not reproducible. A fold is a lane permutation and an add, the same in every tier. The
 * methods are kept under C2's size limit for inlining at any call site (35 bytes of
 * bytecode): a vector passed to a call that is not inlined is boxed.
 */
final class LaneSums {
    private LaneSums() {}

    private static final VectorSpecies<Double> D = ReductionKernels.D;
    private static final int FL = F.length();
    private static final int DL = D.length();
    /** Vectors wider than this many lanes (SVE) fold in a loop, in the same order. */
    private static final int UNROLLED = 16;

    private static final VectorShuffle<Float> F8 = swap(F, 8);
    private static final VectorShuffle<Float> F4 = swap(F, 4);
    private static final VectorShuffle<Float> F2 = swap(F, 2);
    private static final VectorShuffle<Float> F1 = swap(F, 1);
    private static final VectorShuffle<Double> D8 = swap(D, 8);
    private static final VectorShuffle<Double> D4 = swap(D, 4);
    private static final VectorShuffle<Double> D2 = swap(D, 2);
    private static final VectorShuffle<Double> D1 = swap(D, 1);

    /** Lane {@code i} takes lane {@code i ^ h}: the two halves of every block of {@code 2h} lanes trade places. */
    static <E> VectorShuffle<E> swap(VectorSpecies<E> species, int h) {
        int lanes = species.length();
        return VectorShuffle.fromOp(species, i -> h < lanes ? i ^ h : i);
    }

    /** The lanes whose index has the bit {@code h} set: the upper half of every block of {@code 2h} lanes. */
    static <E> VectorMask<E> upper(VectorSpecies<E> species, int h) {
        boolean[] bits = new boolean[species.length()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (i & h) != 0;
        }
        return VectorMask.fromArray(species, bits, 0);
    }

    /** The sum of the lanes of {@code v} in the order of the class comment. */
    static float sum(FloatVector v) {
        return FL > UNROLLED ? wideSum(v) : fold1(fold2(fold4(fold8(v)))).lane(0);
    }

    /** The sum of the lanes of {@code v} in the order of the class comment. */
    static double sum(DoubleVector v) {
        return DL > UNROLLED ? wideSum(v) : fold1(fold2(fold4(fold8(v)))).lane(0);
    }

    private static FloatVector fold8(FloatVector v) {
        return FL > 8 ? v.add(v.rearrange(F8)) : v;
    }

    private static FloatVector fold4(FloatVector v) {
        return FL > 4 ? v.add(v.rearrange(F4)) : v;
    }

    private static FloatVector fold2(FloatVector v) {
        return FL > 2 ? v.add(v.rearrange(F2)) : v;
    }

    private static FloatVector fold1(FloatVector v) {
        return FL > 1 ? v.add(v.rearrange(F1)) : v;
    }

    private static DoubleVector fold8(DoubleVector v) {
        return DL > 8 ? v.add(v.rearrange(D8)) : v;
    }

    private static DoubleVector fold4(DoubleVector v) {
        return DL > 4 ? v.add(v.rearrange(D4)) : v;
    }

    private static DoubleVector fold2(DoubleVector v) {
        return DL > 2 ? v.add(v.rearrange(D2)) : v;
    }

    private static DoubleVector fold1(DoubleVector v) {
        return DL > 1 ? v.add(v.rearrange(D1)) : v;
    }

    private static float wideSum(FloatVector v) {
        float[] lanes = v.toArray();
        for (int n = lanes.length / 2; n > 0; n /= 2) {
            for (int i = 0; i < n; i++) {
                lanes[i] += lanes[i + n];
            }
        }
        return lanes[0];
    }

    private static double wideSum(DoubleVector v) {
        double[] lanes = v.toArray();
        for (int n = lanes.length / 2; n > 0; n /= 2) {
            for (int i = 0; i < n; i++) {
                lanes[i] += lanes[i + n];
            }
        }
        return lanes[0];
    }
}
