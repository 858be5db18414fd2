package dev.autodiff.kernel;

import dev.autodiff.AdamStep;

/**
 * Every numeric loop of the framework, behind one interface so that a faster
 * implementation (the Vector API one in {@code autodiff-simd}) can replace the
 * scalar reference at run time.
 *
 * <p>Arrays are dense and row-major. Outputs never alias inputs unless a method says so.
 * Implementations must give the same result whatever their thread count, and the same
 * in every JIT tier: work is split over outputs, never over a sum, and every sum adds in
 * an order the code fixes (not, for one, in the unspecified order of the Vector API's
 * {@code reduceLanes}).
 */
public interface Kernels {

    /** A short name for reports, such as {@code "scalar"} or {@code "simd"}. */
    String name();

    /** The width in bits of the vectors the kernels use; 32 for scalar code. */
    int vectorBitSize();

    /** How many threads the kernels may use. */
    int threads();

    // ---------------------------------------------------------------- elementwise

    /** {@code out[i] = op(x[i])} for {@code i < n}; {@code out} may be {@code x}. */
    void unary(Unary op, float param, float[] x, float[] out, int n);

    /**
     * {@code out[i] = g[i] * op'(x[i])}, the backward pass of an activation fused with
     * its incoming gradient. {@code y} holds {@code op(x)} (some derivatives are cheaper
     * from it); {@code out} may be {@code g}.
     */
    void unaryBackward(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int n);

    /**
     * {@code out = op(a, b)} with NumPy broadcasting. The three shapes have the same rank
     * (the caller pads with leading ones) and each dimension of {@code a} and {@code b}
     * is 1 or that of {@code out}.
     */
    void binary(Binary op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape);

    /** {@code out = x} broadcast to {@code outShape}; ranks are equal as in {@link #binary}. */
    void broadcast(float[] x, int[] xShape, float[] out, int[] outShape);

    /** {@code out} is {@code x} (of the given shape) with its axes permuted: out axis i is x axis perm[i]. */
    void permute(float[] x, int[] shape, int[] perm, float[] out);

    // ---------------------------------------------------------------- matrix product

    /**
     * {@code C[b] (+)= op(A[b]) · op(B[b])} for each of {@code batch} products.
     * {@code op(A)} is m×k: A is stored m×k, or k×m when {@code transA}; {@code op(B)} is
     * k×n: B is stored k×n, or n×k when {@code transB}; C is m×n. Matrix {@code b} of
     * each operand starts at its offset plus {@code b} times its batch stride (a stride
     * of 0 repeats one matrix). With {@code accumulate} the product is added to C,
     * otherwise C is overwritten.
     */
    void gemm(int batch, boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int aBatchStride,
              float[] b, int bOffset, int bBatchStride,
              float[] c, int cOffset, int cBatchStride, boolean accumulate);

    /** One product {@code C (+)= op(A) · op(B)}, all operands starting at index 0. */
    default void gemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, float[] b, float[] c, boolean accumulate) {
        gemm(1, transA, transB, m, n, k, a, 0, 0, b, 0, 0, c, 0, 0, accumulate);
    }

    /**
     * A linear layer's forward pass {@code out = act(x·wᵀ + bias)}: x is m×k, w is n×k (a
     * weight stored {@code [out, in]}), {@code bias} has n values or is null, and act is the
     * identity or, with {@code relu}, {@link Unary#RELU}. The result has the bits of
     * {@link #gemm} followed by {@link Binary#ADD} of the bias and {@link #unary} RELU; a
     * fast implementation finishes each block of out while it is in cache instead of in
     * two more passes.
     */
    void linear(int m, int n, int k, float[] x, float[] w, float[] bias, boolean relu, float[] out);

    /**
     * The weight {@code w} of a {@link #linear} layer (n×k) laid out anew for
     * {@link #linearOneRow}, or null when this implementation has no faster layout for one
     * row of inputs (the default). A caller keeps it while w's values stay the same.
     */
    default float[] packForOneRow(int n, int k, float[] w) {
        return null;
    }

    /**
     * {@link #linear} for one row of inputs x (m = 1), reading the weight from
     * {@code packed}, its layout by {@link #packForOneRow}, where that is faster. An output
     * may differ in its last bits from what {@link #linear} gives (the products are summed in
     * another order); the same operands always give the same bits.
     */
    default void linearOneRow(int n, int k, float[] x, float[] w, float[] packed, float[] bias, boolean relu,
                              float[] out) {
        linear(1, n, k, x, w, bias, relu, out);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Reduces the middle axis of {@code x} viewed as {@code [outer, axis, inner]} into
     * {@code out} of shape {@code [outer, inner]}. A sum over an empty axis is 0, a max -Inf.
     */
    void reduce(Reduce op, float[] x, int outer, int axis, int inner, float[] out);

    /** Softmax of each row of the {@code rows × cols} matrix x, computed stably. */
    void softmax(float[] x, int rows, int cols, float[] out);

    /** Log-softmax of each row of the {@code rows × cols} matrix x, computed stably. */
    void logSoftmax(float[] x, int rows, int cols, float[] out);

    /**
     * Fused softmax and cross-entropy: for each row, {@code probs} gets the softmax of
     * the logits and {@code loss[row]} gets {@code -log softmax(logits)[label]}.
     * Labels are checked by the caller.
     */
    void softmaxCrossEntropy(float[] logits, int rows, int cols, int[] labels, float[] probs, float[] loss);

    /** The backward pass of {@link #softmaxCrossEntropy}: {@code dLogits = (probs - onehot) * g[row]}. */
    void softmaxCrossEntropyBackward(float[] probs, int rows, int cols, int[] labels, float[] g, float[] dLogits);

    // ---------------------------------------------------------------- in-place updates (Tensor's ...InPlace)

    /** {@code x[i] = c * x[i]}. */
    void scale(float c, float[] x, int n);

    /** {@code y[i] = alpha * x[i] + beta * y[i]}. */
    void axpby(float alpha, float[] x, float beta, float[] y, int n);

    /**
     * A momentum step in one pass: {@code d = decay * param[i] + grad[i]} (only {@code grad[i]}
     * when decay is 0), {@code buffer[i] = gradScale * d + momentum * buffer[i]}, then
     * {@code param[i] = rate * buffer[i] + param[i]}, each as {@link #axpby} computes it.
     */
    void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer, float rate,
                      float[] param, int n);

    /**
     * A Nesterov momentum step in one pass: {@code d = decay * param[i] + grad[i]} (only
     * {@code grad[i]} when decay is 0), {@code buffer[i] = d + momentum * buffer[i]}, then
     * {@code param[i] = rate * (momentum * buffer[i] + d) + param[i]}, each as {@link #axpby}
     * computes it.
     */
    void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate, float[] param, int n);

    /**
     * An Adam step in one pass over {@code param}, its moments {@code expAvg} and
     * {@code expAvgSq} and its gradient, each element as {@link AdamStep} says.
     */
    void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param, int n);

    /**
     * An RMSprop or Adagrad step in one pass: {@code d = decay * param[i] + grad[i]} (only
     * {@code grad[i]} when decay is 0), {@code sumSq[i] = gradScale * d * d + beta * sumSq[i]},
     * then {@code param[i] += rate * d / (sqrt(sumSq[i]) + eps)}, each as {@link #axpby},
     * {@link #squareAxpby} and {@link #addRatio} compute it.
     */
    void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate, float eps,
                 float[] param, int n);

    /** {@code y[i] = alpha * x[i] * x[i] + beta * y[i]} (running second moments). */
    void squareAxpby(float alpha, float[] x, float beta, float[] y, int n);

    /** {@code y[i] += alpha * num[i] / (sqrt(den[i]) + eps)} (adaptive steps). */
    void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n);

    /** {@code y[i] = max(y[i], x[i])}. */
    void maxInPlace(float[] x, float[] y, int n);

    /** {@code x[i] = clamp(x[i], lo, hi)}. */
    void clamp(float[] x, float lo, float hi, int n);

    /** {@code Σ x[i]²}, accumulated in double. */
    double sumOfSquares(float[] x, int n);
}
