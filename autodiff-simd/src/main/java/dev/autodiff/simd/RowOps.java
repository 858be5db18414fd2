package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.KernelPool;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Softmax, log-softmax and the fused softmax cross-entropy over the rows of a matrix,
 * stable by subtracting the row maximum, with the sum of exponentials in double. Rows are
 * independent and are shared among threads.
 */
final class RowOps {
    private static final int L = F.length();

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private final KernelPool pool;

    RowOps(KernelPool pool) {
        this.pool = pool;
    }

    /**
     * The arguments of the row operation the calling thread is running, for its tasks to read:
     * one per thread, reused, so that an operation hands its rows to the pool without making
     * garbage. Only an operation the pool splits fills it; the others run their loop directly.
     */
    private static final class Rows {
        float[] in;
        int cols;
        int[] labels;
        /** One value per row: the losses out of the forward, the loss's cotangent into the backward. */
        float[] perRow;
        float[] out;
    }

    /** Whether the pool shares {@code rows} rows of {@code cols} between threads; when not, an operation runs its loop directly. */
    private boolean splits(int rows, int cols) {
        return pool.splits(rows, grain(cols));
    }

    private static int grain(int cols) {
        return Math.max(1, ElementwiseKernels.GRAIN / Math.max(1, cols));
    }

    private void forRows(float[] in, int rows, int cols, int[] labels, float[] perRow, float[] out,
                         KernelPool.ContextRangeTask<Rows> rowTask) {
        Rows args = ROWS.get();
        args.in = in;
        args.cols = cols;
        args.labels = labels;
        args.perRow = perRow;
        args.out = out;
        pool.forRange(rows, grain(cols), args, rowTask);
        args.in = null; // hold none of the caller's arrays between calls
        args.labels = null;
        args.perRow = null;
        args.out = null;
    }

    void softmax(float[] x, int rows, int cols, float[] out) {
        if (!splits(rows, cols)) {
            softmax(x, cols, out, 0, rows);
            return;
        }
        forRows(x, rows, cols, null, null, out, (a, r0, r1) -> softmax(a.in, a.cols, a.out, r0, r1));
    }

    private static void softmax(float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            normalizedExp(x, off, cols, ReductionKernels.max(x, off, cols), out);
        }
    }

    void logSoftmax(float[] x, int rows, int cols, float[] out) {
        if (!splits(rows, cols)) {
            logSoftmax(x, cols, out, 0, rows);
            return;
        }
        forRows(x, rows, cols, null, null, out, (a, r0, r1) -> logSoftmax(a.in, a.cols, a.out, r0, r1));
    }

    private static void logSoftmax(float[] x, int cols, float[] out, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float max = ReductionKernels.max(x, off, cols);
            float logSum = (float) Math.log(expSum(x, off, cols, max, out)); // out holds the exponentials until overwritten
            int j = 0;
            for (int end = F.loopBound(cols); j < end; j += L) {
                FloatVector.fromArray(F, x, off + j).sub(max).sub(logSum).intoArray(out, off + j);
            }
            for (; j < cols; j++) {
                out[off + j] = x[off + j] - max - logSum;
            }
        }
    }

    void softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels, float[] probs, float[] loss) {
        if (!splits(rows, cols)) {
            softmaxCrossEntropy(logits, cols, labels, probs, loss, 0, rows);
            return;
        }
        forRows(logits, rows, cols, labels, loss, probs,
                (a, r0, r1) -> softmaxCrossEntropy(a.in, a.cols, a.labels, a.out, a.perRow, r0, r1));
    }

    private static void softmaxCrossEntropy(float[] logits, int cols, int[] labels, float[] probs, float[] loss,
                                            int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float max = ReductionKernels.max(logits, off, cols);
            double sum = normalizedExp(logits, off, cols, max, probs);
            loss[r] = (float) (Math.log(sum) - (logits[off + labels[r]] - max));
        }
    }

    void softmaxCrossEntropyBackward(float[] probs, int rows, int cols, int[] labels, float[] g, float[] dLogits) {
        if (!splits(rows, cols)) {
            softmaxCrossEntropyBackward(probs, cols, labels, g, dLogits, 0, rows);
            return;
        }
        forRows(probs, rows, cols, labels, g, dLogits,
                (a, r0, r1) -> softmaxCrossEntropyBackward(a.in, a.cols, a.labels, a.perRow, a.out, r0, r1));
    }

    private static void softmaxCrossEntropyBackward(float[] probs, int cols, int[] labels, float[] g, float[] dLogits,
                                                    int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float gr = g[r];
            int j = 0;
            for (int end = F.loopBound(cols); j < end; j += L) {
                FloatVector.fromArray(F, probs, off + j).mul(gr).intoArray(dLogits, off + j);
            }
            for (; j < cols; j++) {
                dLogits[off + j] = probs[off + j] * gr;
            }
            dLogits[off + labels[r]] -= gr;
        }
    }

    /** Writes the softmax of one row, whose largest element is {@code max}, to {@code out}; returns its sum of exponentials. */
    private static double normalizedExp(float[] x, int off, int cols, float max, float[] out) {
        double s = expSum(x, off, cols, max, out);
        float inv = (float) (1.0 / s);
        int j = 0;
        for (int end = F.loopBound(cols); j < end; j += L) {
            FloatVector.fromArray(F, out, off + j).mul(inv).intoArray(out, off + j);
        }
        for (; j < cols; j++) {
            out[off + j] *= inv;
        }
        return s;
    }

    /**
     * {@code Σ e^(x - max)} over one row in double, in the order of {@link ReductionKernels#sum};
     * the exponentials go to {@code exps}.
     */
    static double expSum(float[] x, int off, int cols, float max, float[] exps) {
        int whole = F.loopBound(cols);
        VectorMath.exp(x, off, false, 1f, -max, exps, off, whole);
        DoubleVector s0 = DoubleVector.zero(ReductionKernels.D);
        DoubleVector s1 = DoubleVector.zero(ReductionKernels.D);
        for (int j = 0; j < whole; j += L) {
            FloatVector e = FloatVector.fromArray(F, exps, off + j);
            s0 = ((DoubleVector) e.convertShape(VectorOperators.F2D, ReductionKernels.D, 0)).add(s0);
            s1 = ((DoubleVector) e.convertShape(VectorOperators.F2D, ReductionKernels.D, 1)).add(s1);
        }
        double s = LaneSums.sum(s0.add(s1));
        for (int j = whole; j < cols; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            exps[off + j] = e;
            s += e;
        }
        return s;
    }
}
