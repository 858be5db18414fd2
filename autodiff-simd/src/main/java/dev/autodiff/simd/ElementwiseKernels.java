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

    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    private final KernelPool pool;

    ElementwiseKernels(KernelPool pool) {
        this.pool = pool;
    }

    /**
     * The arguments of the kernel the calling thread is running, for its tasks to read: one per
     * thread, reused, so that a kernel hands its work to the pool without making garbage. Only
     * a call the pool splits fills it ({@link KernelPool#splits}); the others run their loop
     * directly.
     */
    private static final class Call {
        Unary unary;
        Binary binary;
        float param;
        /** The operands: x alone, or x and y (a binary op's a and b, a derivative's input and output). */
        float[] x;
        float[] y;
        /** The cotangent into a derivative. */
        float[] g;
        float[] out;
        /** How a broadcast walks its operands, and whether each of them runs contiguously along the inner axis. */
        BroadcastPlan plan;
        boolean xRuns;
        boolean yRuns;
        /** A permutation's output shape, and its input strides in output order. */
        int[] shape;
        int[] strides;

        Call arrays(float[] x, float[] y, float[] g, float[] out) {
            this.x = x;
            this.y = y;
            this.g = g;
            this.out = out;
            return this;
        }

        /** Holds none of the call's arrays between calls. */
        void release() {
            arrays(null, null, null, null);
            plan = null;
            shape = null;
            strides = null;
        }
    }

    void unary(Unary op, float param, float[] x, float[] out, int n) {
        if (!pool.splits(n, GRAIN)) {
            UnaryLoops.apply(op, param, x, out, 0, n);
            return;
        }
        Call call = CALLS.get().arrays(x, null, null, out);
        call.unary = op;
        call.param = param;
        pool.forRange(n, GRAIN, call, (c, from, to) -> UnaryLoops.apply(c.unary, c.param, c.x, c.out, from, to));
        call.release();
    }

    void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n) {
        if (!pool.splits(n, GRAIN)) {
            UnaryLoops.derivative(op, param, g, x, y, out, 0, n);
            return;
        }
        Call call = CALLS.get().arrays(x, y, g, out);
        call.unary = op;
        call.param = param;
        pool.forRange(n, GRAIN, call, (c, from, to) -> UnaryLoops.derivative(c.unary, c.param, c.g, c.x, c.y, c.out, from, to));
        call.release();
    }

    void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        BroadcastPlan plan = BroadcastPlan.of(outShape, aShape, bShape);
        int n = Strides.size(outShape);
        if (n == 0) {
            return;
        }
        boolean aRuns = plan.contiguous(0);
        boolean bRuns = plan.contiguous(1);
        if (!pool.splits(n, GRAIN)) {
            if (plan.rows == 1) {
                BinaryLoops.run(op, a, 0, aRuns, b, 0, bRuns, out, 0, n);
            } else {
                binaryRows(op, a, aRuns, b, bRuns, out, plan, 0, plan.rows);
            }
            return;
        }
        Call call = CALLS.get().arrays(a, b, null, out);
        call.binary = op;
        call.plan = plan;
        call.xRuns = aRuns;
        call.yRuns = bRuns;
        if (plan.rows == 1) {
            pool.forRange(plan.inner, GRAIN, call, (c, from, to) -> BinaryLoops.run(c.binary,
                    c.x, c.xRuns ? from : 0, c.xRuns, c.y, c.yRuns ? from : 0, c.yRuns, c.out, from, to - from));
        } else {
            pool.forRange(plan.rows, Math.max(1, GRAIN / plan.inner), call,
                    (c, r0, r1) -> binaryRows(c.binary, c.x, c.xRuns, c.y, c.yRuns, c.out, c.plan, r0, r1));
        }
        call.release();
    }

    /** Output rows {@code [r0, r1)} of a broadcast binary op, {@code plan.inner} elements each. */
    private static void binaryRows(Binary op, float[] a, boolean aRuns, float[] b, boolean bRuns, float[] out,
                                   BroadcastPlan plan, int r0, int r1) {
        int inner = plan.inner;
        Odometer row = plan.rows(r0);
        for (int r = r0; r < r1; r++, row.next()) {
            BinaryLoops.run(op, a, row.offset(0), aRuns, b, row.offset(1), bRuns, out, r * inner, inner);
        }
    }

    void broadcast(float[] x, int[] xShape, float[] out, int[] outShape) {
        if (Strides.size(outShape) == 0) {
            return;
        }
        BroadcastPlan plan = BroadcastPlan.of(outShape, xShape);
        int grain = Math.max(1, GRAIN / plan.inner);
        if (!pool.splits(plan.rows, grain)) {
            broadcastRows(x, plan.contiguous(0), out, plan, 0, plan.rows);
            return;
        }
        Call call = CALLS.get().arrays(x, null, null, out);
        call.plan = plan;
        call.xRuns = plan.contiguous(0);
        pool.forRange(plan.rows, grain, call, (c, r0, r1) -> broadcastRows(c.x, c.xRuns, c.out, c.plan, r0, r1));
        call.release();
    }

    /** Output rows {@code [r0, r1)} of a broadcast, {@code plan.inner} elements each. */
    private static void broadcastRows(float[] x, boolean runs, float[] out, BroadcastPlan plan, int r0, int r1) {
        int inner = plan.inner;
        Odometer row = plan.rows(r0);
        for (int r = r0; r < r1; r++, row.next()) {
            int xi = row.offset(0);
            if (runs) {
                System.arraycopy(x, xi, out, r * inner, inner);
            } else {
                java.util.Arrays.fill(out, r * inner, (r + 1) * inner, x[xi]);
            }
        }
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
        int rows = n / inner;
        int grain = Math.max(1, GRAIN / inner);
        if (!pool.splits(rows, grain)) {
            permuteRows(x, outShape, strides, out, 0, rows);
            return;
        }
        Call call = CALLS.get().arrays(x, null, null, out);
        call.shape = outShape;
        call.strides = strides;
        pool.forRange(rows, grain, call, (c, r0, r1) -> permuteRows(c.x, c.shape, c.strides, c.out, r0, r1));
        call.release();
    }

    /** Output rows {@code [r0, r1)} of a permutation: {@code strides} are the input's, in output order. */
    private static void permuteRows(float[] x, int[] outShape, int[] strides, float[] out, int r0, int r1) {
        int rank = outShape.length;
        int inner = outShape[rank - 1];
        int step = strides[rank - 1];
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
    }
}
