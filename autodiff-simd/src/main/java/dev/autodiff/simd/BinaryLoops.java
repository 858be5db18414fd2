package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.ScalarMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector loops of {@link dev.autodiff.kernel.Kernels#binary} over one run of output
 * elements, with each operand either advancing along the run or repeating one element
 * (a scalar, or a column of a column broadcast). All ops are exact, so results equal the
 * scalar reference bit for bit.
 */
final class BinaryLoops {
    private BinaryLoops() {}

    private static final int L = F.length();

    /** {@code out[o + j] = op(a[ai + j·(aRuns?1:0)], b[bi + j·(bRuns?1:0)])} for {@code j < len}. */
    static void run(Binary op, float[] a, int ai, boolean aRuns, float[] b, int bi, boolean bRuns, float[] out, int o, int len) {
        if (len == 0) {
            return;
        }
        if (aRuns && bRuns && ai == o && bi == o && sameIndex(op, a, b, out, o, o + len)) {
            return;
        }
        if (aRuns || bRuns) {
            vectors(op, a, ai, aRuns, b, bi, bRuns, out, o, len);
        } else {
            java.util.Arrays.fill(out, o, o + len, ScalarMath.apply(op, a[ai], b[bi]));
        }
    }

    /**
     * Runs one of the four arithmetic ops over {@code [from, to)} of three arrays at the same
     * index as a plain loop, and returns true; false for any other op. Bound by memory, these
     * run faster so: C2 vectorizes a plain loop and aligns it to the arrays, which a Vector
     * API loop cannot (as UnaryLoops' exact functions).
     */
    private static boolean sameIndex(Binary op, float[] a, float[] b, float[] out, int from, int to) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) {
                    out[i] = a[i] + b[i];
                }
            }
            case SUB -> {
                for (int i = from; i < to; i++) {
                    out[i] = a[i] - b[i];
                }
            }
            case MUL -> {
                for (int i = from; i < to; i++) {
                    out[i] = a[i] * b[i];
                }
            }
            case DIV -> {
                for (int i = from; i < to; i++) {
                    out[i] = a[i] / b[i];
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The Vector API loop; an operand that does not run is broadcast once. The op is chosen per
     * vector inside the loop, not in a method of its own: a helper taking and returning
     * vectors, once C2 had compiled it alone to more than 2.5 KB, was no longer inlined, and
     * every vector of every call was boxed (VectorMath's class comment).
     */
    private static void vectors(Binary op, float[] a, int ai, boolean aRuns, float[] b, int bi, boolean bRuns, float[] out, int o, int len) {
        FloatVector aRepeated = FloatVector.broadcast(F, a[ai]);
        FloatVector bRepeated = FloatVector.broadcast(F, b[bi]);
        int end = F.loopBound(len);
        int j = 0;
        for (; j < end; j += L) {
            FloatVector x = aRuns ? FloatVector.fromArray(F, a, ai + j) : aRepeated;
            FloatVector y = bRuns ? FloatVector.fromArray(F, b, bi + j) : bRepeated;
            FloatVector z = switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.sub(y);
                case MUL -> x.mul(y);
                case DIV -> x.div(y);
                case MAXIMUM -> x.max(y);
                case MINIMUM -> x.min(y);
                case GREATER -> FloatVector.zero(F).blend(1f, x.compare(VectorOperators.GT, y));
                case EQUAL -> FloatVector.zero(F).blend(1f, x.compare(VectorOperators.EQ, y));
                case GREATER_EQUAL -> FloatVector.zero(F).blend(1f, x.compare(VectorOperators.GE, y));
            };
            z.intoArray(out, o + j);
        }
        for (; j < len; j++) {
            out[o + j] = ScalarMath.apply(op, a[aRuns ? ai + j : ai], b[bRuns ? bi + j : bi]);
        }
    }
}
