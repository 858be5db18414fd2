package dev.autodiff.simd;

import dev.autodiff.AdamStep;
import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.Unary;

/**
 * {@link Kernels} on the Vector API, on the {@link KernelPool} the kernels share. Results match
 * {@link dev.autodiff.kernel.ScalarKernels} bit for bit where no sum is reordered and the
 * arithmetic is exact, within a few ulp for transcendental functions, and depend neither
 * on the thread count nor on the JIT tier (sums across lanes add in {@link LaneSums}'
 * order). Safe to call from many threads at once.
 */
public final class SimdKernels implements Kernels {

    private final KernelPool pool;
    private final ElementwiseKernels elementwise;
    private final Gemm gemm;
    private final ReductionKernels reductions;
    private final RowOps rowOps;
    private final UpdateOps updates;

    /** Kernels on the shared pool: {@code -Dautodiff.threads} threads, or one per processor. */
    public SimdKernels() {
        this(KernelPool.shared());
    }

    /** Kernels with a pool of their own of the given number of threads, the caller's included (for tests). */
    public SimdKernels(int threads) {
        this(new KernelPool(threads));
    }

    /** Kernels on the given pool. */
    public SimdKernels(KernelPool pool) {
        this.pool = pool;
        elementwise = new ElementwiseKernels(pool);
        gemm = new Gemm(pool);
        reductions = new ReductionKernels(pool);
        rowOps = new RowOps(pool);
        updates = new UpdateOps(pool);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int vectorBitSize() {
        return VectorMath.F.vectorBitSize();
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public void unary(Unary op, float param, float[] x, float[] out, int n) {
        elementwise.unary(op, param, x, out, n);
    }

    @Override
    public void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n) {
        elementwise.unaryBackward(op, param, g, x, y, out, n);
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        elementwise.binary(op, a, aShape, b, bShape, out, outShape);
    }

    @Override
    public void broadcast(float[] x, int[] xShape, float[] out, int[] outShape) {
        elementwise.broadcast(x, xShape, out, outShape);
    }

    @Override
    public void permute(float[] x, int[] shape, int[] perm, float[] out) {
        elementwise.permute(x, shape, perm, out);
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int aBatchStride,
                     float[] b, int bOffset, int bBatchStride,
                     float[] c, int cOffset, int cBatchStride, boolean accumulate) {
        gemm.gemm(batch, transA, transB, m, n, k, a, aOffset, aBatchStride, b, bOffset, bBatchStride,
                c, cOffset, cBatchStride, accumulate);
    }

    @Override
    public void linear(int m, int n, int k, float[] x, float[] w, float[] bias, boolean relu, float[] out) {
        gemm.linear(m, n, k, x, w, out, bias == null && !relu ? null : new Epilogue(bias, relu));
    }

    @Override
    public float[] packForOneRow(int n, int k, float[] w) {
        return gemm.packForOneRow(n, k, w);
    }

    @Override
    public void linearOneRow(int n, int k, float[] x, float[] w, float[] packed, float[] bias, boolean relu,
                             float[] out) {
        gemm.linearOneRow(n, k, x, w, packed, out, bias == null && !relu ? null : new Epilogue(bias, relu));
    }

    @Override
    public void reduce(Reduce op, float[] x, int outer, int axis, int inner, float[] out) {
        reductions.reduce(op, x, outer, axis, inner, out);
    }

    @Override
    public void softmax(float[] x, int rows, int cols, float[] out) {
        rowOps.softmax(x, rows, cols, out);
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] out) {
        rowOps.logSoftmax(x, rows, cols, out);
    }

    @Override
    public void softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels, float[] probs, float[] loss) {
        rowOps.softmaxCrossEntropy(logits, rows, cols, labels, probs, loss);
    }

    @Override
    public void softmaxCrossEntropyBackward(float[] probs, int rows, int cols, int[] labels, float[] g, float[] dLogits) {
        rowOps.softmaxCrossEntropyBackward(probs, rows, cols, labels, g, dLogits);
    }

    @Override
    public void scale(float c, float[] x, int n) {
        updates.scale(c, x, n);
    }

    @Override
    public void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        updates.axpby(alpha, x, beta, y, n);
    }

    @Override
    public void squareAxpby(float alpha, float[] x, float beta, float[] y, int n) {
        updates.squareAxpby(alpha, x, beta, y, n);
    }

    @Override
    public void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer, float rate,
                             float[] param, int n) {
        updates.momentumStep(momentum, gradScale, grad, decay, buffer, rate, param, n);
    }

    @Override
    public void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate, float[] param,
                             int n) {
        updates.nesterovStep(momentum, grad, decay, buffer, rate, param, n);
    }

    @Override
    public void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param, int n) {
        updates.adamStep(step, grad, expAvg, expAvgSq, param, n);
    }

    @Override
    public void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate, float eps,
                        float[] param, int n) {
        updates.rmsStep(beta, gradScale, grad, decay, sumSq, rate, eps, param, n);
    }

    @Override
    public void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n) {
        updates.addRatio(alpha, num, den, eps, y, n);
    }

    @Override
    public void maxInPlace(float[] x, float[] y, int n) {
        updates.maxInPlace(x, y, n);
    }

    @Override
    public void clamp(float[] x, float lo, float hi, int n) {
        updates.clamp(x, lo, hi, n);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return updates.sumOfSquares(x, n);
    }
}
