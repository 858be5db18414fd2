package dev.autodiff.kernel;

/**
 * The reference implementation of {@link Kernels} in plain Java, one thread. It is
 * what core uses when no faster provider is present, and what the SIMD kernels are
 * tested against.
 */
public final class ScalarKernels implements Kernels {

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
        return 1;
    }

    @Override
    public void unary(Unary op, float param, float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = ScalarMath.apply(op, param, x[i]);
        }
    }

    @Override
    public void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = ScalarMath.derivative(op, param, g[i], x[i], y[i]);
        }
    }

    @Override
    public void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
        int[] aStrides = Strides.broadcastStrides(aShape, outShape);
        int[] bStrides = Strides.broadcastStrides(bShape, outShape);
        int n = Strides.size(outShape);
        int rank = outShape.length;
        int[] index = new int[rank];
        int ai = 0;
        int bi = 0;
        for (int i = 0; i < n; i++) {
            out[i] = ScalarMath.apply(op, a[ai], b[bi]);
            // odometer step over the output index, moving both input offsets along
            for (int d = rank - 1; d >= 0; d--) {
                ai += aStrides[d];
                bi += bStrides[d];
                if (++index[d] < outShape[d]) {
                    break;
                }
                ai -= aStrides[d] * outShape[d];
                bi -= bStrides[d] * outShape[d];
                index[d] = 0;
            }
        }
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
    private static void gather(float[] x, int[] strides, float[] out, int[] outShape) {
        int n = Strides.size(outShape);
        int rank = outShape.length;
        int[] index = new int[rank];
        int xi = 0;
        for (int i = 0; i < n; i++) {
            out[i] = x[xi];
            for (int d = rank - 1; d >= 0; d--) {
                xi += strides[d];
                if (++index[d] < outShape[d]) {
                    break;
                }
                xi -= strides[d] * outShape[d];
                index[d] = 0;
            }
        }
    }

    @Override
    public void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int aBatchStride,
                     float[] b, int bOffset, int bBatchStride,
                     float[] c, int cOffset, int cBatchStride, boolean accumulate) {
        for (int bt = 0; bt < batch; bt++) {
            int ao = aOffset + bt * aBatchStride;
            int bo = bOffset + bt * bBatchStride;
            int co = cOffset + bt * cBatchStride;
            if (!accumulate) {
                java.util.Arrays.fill(c, co, co + m * n, 0f);
            }
            ScalarMath.addProduct(transA, transB, m, n, k, a, ao, b, bo, c, co);
        }
    }

    @Override
    public void reduce(Reduce op, float[] x, int outer, int axis, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * axis * inner + in;
                if (op == Reduce.SUM) {
                    double s = 0;
                    for (int a = 0; a < axis; a++) {
                        s += x[base + a * inner];
                    }
                    out[o * inner + in] = (float) s;
                } else {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int a = 0; a < axis; a++) {
                        m = ScalarMath.runningMax(m, x[base + a * inner]);
                    }
                    out[o * inner + in] = m;
                }
            }
        }
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

    @Override
    public void softmax(float[] x, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = rowMax(x, off, cols);
            double s = rowExpSum(x, off, cols, max);
            for (int j = 0; j < cols; j++) {
                out[off + j] = (float) (Math.exp(x[off + j] - max) / s);
            }
        }
    }

    @Override
    public void logSoftmax(float[] x, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = rowMax(x, off, cols);
            double logSum = Math.log(rowExpSum(x, off, cols, max));
            for (int j = 0; j < cols; j++) {
                out[off + j] = (float) (x[off + j] - max - logSum);
            }
        }
    }

    @Override
    public void softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels, float[] probs, float[] loss) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = rowMax(logits, off, cols);
            double s = rowExpSum(logits, off, cols, max);
            for (int j = 0; j < cols; j++) {
                probs[off + j] = (float) (Math.exp(logits[off + j] - max) / s);
            }
            loss[r] = (float) (Math.log(s) - (logits[off + labels[r]] - max));
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(float[] probs, int rows, int cols, int[] labels, float[] g, float[] dLogits) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float gr = g[r];
            for (int j = 0; j < cols; j++) {
                dLogits[off + j] = probs[off + j] * gr;
            }
            dLogits[off + labels[r]] -= gr;
        }
    }

    @Override
    public void scale(float c, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = c * x[i];
        }
    }

    @Override
    public void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = ScalarMath.axpby(alpha, x[i], beta, y[i]);
        }
    }

    @Override
    public void squareAxpby(float alpha, float[] x, float beta, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = ScalarMath.squareAxpby(alpha, x[i], beta, y[i]);
        }
    }

    @Override
    public void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = ScalarMath.addRatio(alpha, num[i], den[i], eps, y[i]);
        }
    }

    @Override
    public void maxInPlace(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(y[i], x[i]);
        }
    }

    @Override
    public void clamp(float[] x, float lo, float hi, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = ScalarMath.clamp(x[i], lo, hi);
        }
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }
}
