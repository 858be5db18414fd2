package dev.autodiff.kernel;

import dev.autodiff.AdamStep;

/**
 * The reference implementation of {@link Kernels} in plain Java. It is what core uses when
 * no faster provider is present, and what the SIMD kernels are tested against. The loops
 * run on the threads of a {@link KernelPool}, split over outputs in pieces that do not
 * depend on the thread count, and each output is computed as one thread would: results are
 * the same bits for any number of threads.
 */
public final class ScalarKernels implements Kernels {

    /** Elements of work per task: below this a call runs on the caller alone. */
    private static final int GRAIN = 1 << 14;

    private final KernelPool pool;

    /** Kernels on the shared pool: {@code -Dautodiff.threads} threads, or one per processor. */
    public ScalarKernels() {
        this(KernelPool.shared());
    }

    /** Kernels on the given pool. */
    public ScalarKernels(KernelPool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBitSize() {
        return Float.SIZE;
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    /** Runs {@code task} over {@code [0, n)} items of {@code work} elements each, in pieces of about {@link #GRAIN} elements. */
    private void forRange(int n, long work, KernelPool.RangeTask task) {
        pool.forRange(n, (int) Math.max(1, GRAIN / Math.max(1, work)), task);
    }

    @Override
    public void unary(Unary op, float param, float[] x, float[] out, int n) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ScalarMath.apply(op, param, x[i]);
            }
        });
    }

    @Override
    public void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ScalarMath.derivative(op, param, g[i], x[i], y[i]);
            }
        });
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        int[] aStrides = Strides.broadcastStrides(aShape, outShape);
        int[] bStrides = Strides.broadcastStrides(bShape, outShape);
        forRange(Strides.size(outShape), 1, (from, to) -> {
            Odometer index = new Odometer(outShape, from, aStrides, bStrides);
            for (int i = from; i < to; i++) {
                out[i] = ScalarMath.apply(op, a[index.offset(0)], b[index.offset(1)]);
                index.next();
            }
        });
    }

    @Override
    public void broadcast(float[] x, int[] xShape, float[] out, int[] outShape) {
        gather(x, Strides.broadcastStrides(xShape, outShape), out, outShape);
    }

    @Override
    public void permute(float[] x, int[] shape, int[] perm, float[] out) {
        int[] inStrides = Strides.of(shape);
        int[] outShape = new int[shape.length];
        int[] strides = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        gather(x, strides, out, outShape);
    }

    /** {@code out[i] = x[offset(i)]} where the offset walks {@code outShape} with the given strides of x. */
    private void gather(float[] x, int[] strides, float[] out, int[] outShape) {
        forRange(Strides.size(outShape), 1, (from, to) -> {
            Odometer index = new Odometer(outShape, from, strides);
            for (int i = from; i < to; i++) {
                out[i] = x[index.offset(0)];
                index.next();
            }
        });
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int aBatchStride,
                     float[] b, int bOffset, int bBatchStride,
                     float[] c, int cOffset, int cBatchStride, boolean accumulate) {
        // Tasks are row blocks of every product: each element of C is one thread's sum over k, in order.
        int blocks = Math.max(1, Math.min(m, (int) (m * (long) n * k / GRAIN)));
        int rowsPerBlock = (m + blocks - 1) / Math.max(1, blocks);
        int blocksPerProduct = m == 0 ? 0 : (m + rowsPerBlock - 1) / rowsPerBlock;
        pool.forEach(batch * blocksPerProduct, task -> {
            int bt = task / blocksPerProduct;
            int rowFrom = task % blocksPerProduct * rowsPerBlock;
            int rowTo = Math.min(m, rowFrom + rowsPerBlock);
            int co = cOffset + bt * cBatchStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, co + rowFrom * n, co + rowTo * n, 0f);
            }
            ScalarMath.addProductRows(transA, transB, m, n, k, a, aOffset + bt * aBatchStride, b,
                    bOffset + bt * bBatchStride, c, co, rowFrom, rowTo);
        });
    }

    @Override
    public void linear(int m, int n, int k, float[] x, float[] w, float[] bias, boolean relu, float[] out) {
        gemm(false, true, m, n, k, x, w, out, false);
        if (bias == null && !relu) {
            return;
        }
        forRange(m, n, (from, to) -> {
            for (int i = from * n; i < to * n; i++) {
                float v = bias == null ? out[i] : out[i] + bias[i % n];
                out[i] = relu ? ScalarMath.apply(Unary.RELU, 0f, v) : v;
            }
        });
    }

    @Override
    public void reduce(Reduce op, float[] x, int outer, int axis, int inner, float[] out) {
        forRange(outer * inner, axis, (from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i / inner * axis * inner + i % inner;
                if (op == Reduce.SUM) {
                    double s = 0;
                    for (int a = 0; a < axis; a++) {
                        s += x[base + a * inner];
                    }
                    out[i] = (float) s;
                } else {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int a = 0; a < axis; a++) {
                        m = ScalarMath.runningMax(m, x[base + a * inner]);
                    }
                    out[i] = m;
                }
            }
        });
    }

    private static float rowMax(float[] x, int off, int cols) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            m = Math.max(m, x[off + j]);
        }
        return m;
    }

    /** {@code Σ exp(x - max)} over one row, in double. */
    private static double rowExpSum(float[] x, int off, int cols, float max) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += Math.exp(x[off + j] - max);
        }
        return s;
    }

    /** Runs {@code row} for every row of a {@code rows × cols} matrix, in blocks of rows. */
    private void forRows(int rows, int cols, java.util.function.IntConsumer row) {
        forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                row.accept(r);
            }
        });
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] out) {
        forRows(rows, cols, r -> softmaxRow(x, r * cols, cols, rowMax(x, r * cols, cols), out));
    }

    /** Writes the softmax of the row at {@code off} given its maximum; returns the row's {@code Σ e^(x - max)}. */
    private static double softmaxRow(float[] x, int off, int cols, float max, float[] out) {
        double s = rowExpSum(x, off, cols, max);
        for (int j = 0; j < cols; j++) {
            out[off + j] = (float) (Math.exp(x[off + j] - max) / s);
        }
        return s;
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] out) {
        forRows(rows, cols, r -> {
            int off = r * cols;
            float max = rowMax(x, off, cols);
            double logSum = Math.log(rowExpSum(x, off, cols, max));
            for (int j = 0; j < cols; j++) {
                out[off + j] = (float) (x[off + j] - max - logSum);
            }
        });
    }

    @Override
    public void softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels, float[] probs, float[] loss) {
        forRows(rows, cols, r -> {
            int off = r * cols;
            float max = rowMax(logits, off, cols);
            double s = softmaxRow(logits, off, cols, max, probs);
            loss[r] = (float) (Math.log(s) - (logits[off + labels[r]] - max));
        });
    }

    @Override
    public void softmaxCrossEntropyBackward(float[] probs, int rows, int cols, int[] labels, float[] g, float[] dLogits) {
        forRows(rows, cols, r -> {
            int off = r * cols;
            float gr = g[r];
            for (int j = 0; j < cols; j++) {
                dLogits[off + j] = probs[off + j] * gr;
            }
            dLogits[off + labels[r]] -= gr;
        });
    }

    /** Runs {@code element} for every {@code i < n}, in ranges. */
    private void forEach(int n, java.util.function.IntConsumer element) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                element.accept(i);
            }
        });
    }

    @Override
    public void scale(float c, float[] x, int n) {
        forEach(n, i -> x[i] = c * x[i]);
    }

    @Override
    public void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        forEach(n, i -> y[i] = ScalarMath.axpby(alpha, x[i], beta, y[i]));
    }

    @Override
    public void squareAxpby(float alpha, float[] x, float beta, float[] y, int n) {
        forEach(n, i -> y[i] = ScalarMath.squareAxpby(alpha, x[i], beta, y[i]));
    }

    @Override
    public void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer, float rate,
                             float[] param, int n) {
        forEach(n, i -> ScalarMath.momentumStep(momentum, gradScale, grad, decay, buffer, rate, param, i));
    }

    @Override
    public void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate, float[] param,
                             int n) {
        forEach(n, i -> ScalarMath.nesterovStep(momentum, grad, decay, buffer, rate, param, i));
    }

    @Override
    public void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param, int n) {
        forEach(n, i -> ScalarMath.adamStep(step, grad, expAvg, expAvgSq, param, i));
    }

    @Override
    public void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate, float eps,
                        float[] param, int n) {
        forEach(n, i -> ScalarMath.rmsStep(beta, gradScale, grad, decay, sumSq, rate, eps, param, i));
    }

    @Override
    public void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n) {
        forEach(n, i -> y[i] = ScalarMath.addRatio(alpha, num[i], den[i], eps, y[i]));
    }

    @Override
    public void maxInPlace(float[] x, float[] y, int n) {
        forEach(n, i -> y[i] = Math.max(y[i], x[i]));
    }

    @Override
    public void clamp(float[] x, float lo, float hi, int n) {
        forEach(n, i -> x[i] = ScalarMath.clamp(x[i], lo, hi));
    }

    /** One sum in one order, on the caller: splitting it over threads would change its rounding. */
    @Override
    public double sumOfSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }
}
