package dev.autodiff.simd;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.Odometer;
import dev.autodiff.kernel.Strides;
import dev.autodiff.kernel.Unary;

/**
 * Elementwise kernels: unary functions and their fused derivatives, broadcast binary
 * ops, broadcast and permute. Large arrays are cut into fixed blocks shared among the
 * pool's threads; blocks are multiples of the vector length, so the result does not
 * depend on the thread count.
 */
final class ElementwiseKernels {
    /** Elements per task: big enough to pay for a hand-off, small enough to balance. */
    static final int GRAIN = 1 << 14;

    private final KernelPool pool;

    ElementwiseKernels(KernelPool pool) {
        this.pool = pool;
    }

    void unary(Unary op, float param, float[] x, float[] out, int n) {
        pool.forRange(n, GRAIN, (from, to) -> UnaryLoops.apply(op, param, x, out, from, to));
    }

    void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n) {
        pool.forRange(n, GRAIN, (from, to) -> UnaryLoops.derivative(op, param, g, x, y, out, from, to));
    }

    void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        BroadcastPlan plan = BroadcastPlan.of(outShape, aShape, bShape);
        if (Strides.size(outShape) == 0) {
            return;
        }
        boolean aRuns = plan.contiguous(0);
        boolean bRuns = plan.contiguous(1);
        int inner = plan.inner;
        if (plan.rows == 1) {
            pool.forRange(inner, GRAIN, (from, to) -> BinaryLoops.run(op,
                    a, aRuns ? from : 0, aRuns, b, bRuns ? from : 0, bRuns, out, from, to - from));
            return;
        }
        pool.forRange(plan.rows, Math.max(1, GRAIN / inner), (r0, r1) -> {
            Odometer row = plan.rows(r0);
            for (int r = r0; r < r1; r++, row.next()) {
                BinaryLoops.run(op, a, row.offset(0), aRuns, b, row.offset(1), bRuns, out, r * inner, inner);
            }
        });
    }

    void broadcast(float[] x, int[] xShape, float[] out, int[] outShape) {
        if (Strides.size(outShape) == 0) {
            return;
        }
        BroadcastPlan plan = BroadcastPlan.of(outShape, xShape);
        int inner = plan.inner;
        boolean runs = plan.contiguous(0);
        pool.forRange(plan.rows, Math.max(1, GRAIN / inner), (r0, r1) -> {
            Odometer row = plan.rows(r0);
            for (int r = r0; r < r1; r++, row.next()) {
                int xi = row.offset(0);
                if (runs) {
                    System.arraycopy(x, xi, out, r * inner, inner);
                } else {
                    java.util.Arrays.fill(out, r * inner, (r + 1) * inner, x[xi]);
                }
            }
        });
    }

    /** A gather: the output is walked in order, the input by the permuted strides, one output row per step. */
    void permute(float[] x, int[] shape, int[] perm, float[] out) {
        int rank = shape.length;
        int n = Strides.size(shape);
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            out[0] = x[0];
            return;
        }
        int[] inStrides = Strides.of(shape);
        int[] outShape = new int[rank];
        int[] strides = new int[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        int inner = outShape[rank - 1];
        int step = strides[rank - 1];
        int rows = n / inner;
        pool.forRange(rows, Math.max(1, GRAIN / inner), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = 0;
                int rest = r;
                for (int d = rank - 2; d >= 0; d--) {
                    xi += (rest % outShape[d]) * strides[d];
                    rest /= outShape[d];
                }
                int o = r * inner;
                if (step == 1) {
                    System.arraycopy(x, xi, out, o, inner);
                } else {
                    for (int j = 0; j < inner; j++) {
                        out[o + j] = x[xi + j * step];
                    }
                }
            }
        });
    }
}
