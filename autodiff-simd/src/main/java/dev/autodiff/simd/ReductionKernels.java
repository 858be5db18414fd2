package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link dev.autodiff.kernel.Kernels#reduce} and the double-precision sums it shares with
 * the row ops. Sums accumulate in double like the reference. Across an inner axis the
 * vectors run over independent outputs, so each output sums in the reference's order and
 * matches it bit for bit; along a contiguous axis the lanes hold partial sums, which are
 * combined once per output in a fixed order ({@link #sum}).
 */
final class ReductionKernels {
    private static final int L = F.length();
    static final VectorSpecies<Double> D = F.withLanes(double.class);
    /** Columns per task when reducing across an inner axis; a multiple of two vectors. */
    private static final int COLUMN_BLOCK = 256;

    private static final ThreadLocal<Reduction> REDUCTIONS = ThreadLocal.withInitial(Reduction::new);

    private final KernelPool pool;

    ReductionKernels(KernelPool pool) {
        this.pool = pool;
    }

    /**
     * The arguments of the reduction the calling thread is running, for its tasks to read: one
     * per thread, reused, so that a reduction hands its work to the pool without making garbage.
     * Only a reduction the pool shares between threads fills it.
     */
    private static final class Reduction {
        Reduce op;
        float[] x;
        int axis;
        int inner;
        float[] out;

        /** Holds none of the caller's arrays between calls. */
        void release() {
            x = null;
            out = null;
        }
    }

    void reduce(Reduce op, float[] x, int outer, int axis, int inner, float[] out) {
        if (outer == 0 || inner == 0) {
            return;
        }
        if (inner == 1) {
            int grain = Math.max(1, ElementwiseKernels.GRAIN / Math.max(1, axis));
            if (!pool.splits(outer, grain)) {
                rows(op, x, axis, out, 0, outer);
                return;
            }
            Reduction r = reduction(op, x, axis, inner, out);
            pool.forRange(outer, grain, r, (c, r0, r1) -> rows(c.op, c.x, c.axis, c.out, r0, r1));
            r.release();
        } else {
            int blocks = (inner + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
            long work = (long) outer * axis * inner;
            if (pool.threads() == 1 || work < 2L * ElementwiseKernels.GRAIN) {
                for (int t = 0; t < outer * blocks; t++) {
                    columns(op, x, axis, inner, out, t);
                }
                return;
            }
            Reduction r = reduction(op, x, axis, inner, out);
            pool.forEach(outer * blocks, r, (c, t) -> columns(c.op, c.x, c.axis, c.inner, c.out, t));
            r.release();
        }
    }

    private static Reduction reduction(Reduce op, float[] x, int axis, int inner, float[] out) {
        Reduction r = REDUCTIONS.get();
        r.op = op;
        r.x = x;
        r.axis = axis;
        r.inner = inner;
        r.out = out;
        return r;
    }

    /** Rows {@code [r0, r1)} of a reduction over the last axis, each to one element. */
    private static void rows(Reduce op, float[] x, int axis, float[] out, int r0, int r1) {
        for (int row = r0; row < r1; row++) {
            out[row] = op == Reduce.SUM ? (float) sum(x, row * axis, axis) : max(x, row * axis, axis);
        }
    }

    /** Task {@code t} of a reduction across an inner axis: one block of columns of one outer index. */
    private static void columns(Reduce op, float[] x, int axis, int inner, float[] out, int t) {
        int blocks = (inner + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        int o = t / blocks;
        int from = (t % blocks) * COLUMN_BLOCK;
        int to = Math.min(inner, from + COLUMN_BLOCK);
        if (op == Reduce.SUM) {
            sumColumns(x, o * axis * inner, axis, inner, out, o * inner, from, to);
        } else {
            maxColumns(x, o * axis * inner, axis, inner, out, o * inner, from, to);
        }
    }

    /**
     * {@code Σ x[from..from+len)} in double. Of each whole vector, the lower half of the
     * lanes adds into one double vector and the upper half into another, in order; the two
     * are added lane by lane, the lanes summed in {@link LaneSums}' order, and the elements
     * past the last whole vector added one by one.
     */
    static double sum(float[] x, int from, int len) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        int end = from + F.loopBound(len);
        int i = from;
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            s0 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).add(s0);
            s1 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).add(s1);
        }
        double s = LaneSums.sum(s0.add(s1));
        for (; i < from + len; i++) {
            s += x[i];
        }
        return s;
    }

    /**
     * The largest of {@code x[from..from+len)} as the reference finds it: NaN if any is NaN,
     * and among equal maxima the first (which matters only for ±0), -Inf when empty.
     */
    static float max(float[] x, int from, int len) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int end = from + F.loopBound(len);
        int i = from;
        for (; i < end; i += L) {
            m = FloatVector.fromArray(F, x, i).max(m);
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < from + len; i++) {
            r = ScalarMath.runningMax(r, x[i]);
        }
        if (r != r) {
            // which NaN the lane maxima keep depends on the order, which depends on the JIT tier: take the reference's, the last
            for (i = from + len - 1; x[i] == x[i]; i--) {
                // find the last NaN
            }
            r = x[i];
        } else if (r == 0f) {
            for (i = from; x[i] != 0f; i++) {
                // find the first zero, whose sign the reference keeps
            }
            r = x[i];
        }
        return r;
    }

    /** Column sums of {@code axis} rows of width {@code inner}, columns {@code [from, to)}, in double. */
    private static void sumColumns(float[] x, int base, int axis, int inner, float[] out, int outBase, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += L) {
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            for (int a = 0, i = base + j; a < axis; a++, i += inner) {
                FloatVector v = FloatVector.fromArray(F, x, i);
                s0 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).add(s0);
                s1 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).add(s1);
            }
            // each narrowing fills half the lanes and zeroes the rest, so OR joins them
            FloatVector lower = (FloatVector) s0.convertShape(VectorOperators.D2F, F, 0);
            FloatVector upper = (FloatVector) s1.convertShape(VectorOperators.D2F, F, -1);
            lower.reinterpretAsInts().or(upper.reinterpretAsInts()).reinterpretAsFloats().intoArray(out, outBase + j);
        }
        for (; j < to; j++) {
            double s = 0;
            for (int a = 0; a < axis; a++) {
                s += x[base + a * inner + j];
            }
            out[outBase + j] = (float) s;
        }
    }

    /** Column maxima with the reference's rule per column ({@link ScalarMath#runningMax}). */
    private static void maxColumns(float[] x, int base, int axis, int inner, float[] out, int outBase, int from, int to) {
        int j = from;
        for (int end = from + F.loopBound(to - from); j < end; j += L) {
            FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int a = 0, i = base + j; a < axis; a++, i += inner) {
                FloatVector v = FloatVector.fromArray(F, x, i);
                m = v.blend(m, v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN)).not());
            }
            m.intoArray(out, outBase + j);
        }
        for (; j < to; j++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int a = 0; a < axis; a++) {
                m = ScalarMath.runningMax(m, x[base + a * inner + j]);
            }
            out[outBase + j] = m;
        }
    }
}
