package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The end of a linear layer's product ({@link dev.autodiff.kernel.Kernels#linear}): the bias
 * added to each row of C, then ReLU when asked, applied by {@link Gemm} to each block of C as
 * soon as its sum is complete, while the block is in cache, instead of in two more passes
 * over all of C. The arithmetic is that of {@code Binary.ADD} and {@code Unary.RELU}, so the
 * bits are those of the three separate kernels.
 */
final class Epilogue {
    private static final int L = F.length();

    private final float[] bias;
    private final boolean relu;

    /** The bias ({@code n} values, or null for none) and whether ReLU follows. */
    Epilogue(float[] bias, boolean relu) {
        this.bias = bias;
        this.relu = relu;
    }

    /**
     * Finishes the {@code rows}×{@code cols} block of C whose first element is {@code c[c0]},
     * rows {@code ldc} apart, and whose first column is column {@code j0} of C.
     */
    void apply(float[] c, int c0, int ldc, int rows, int j0, int cols) {
        FloatVector zero = FloatVector.zero(F);
        for (int r = 0; r < rows; r++) {
            int row = c0 + r * ldc;
            int j = 0;
            for (int end = F.loopBound(cols); j < end; j += L) {
                FloatVector v = FloatVector.fromArray(F, c, row + j);
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(F, bias, j0 + j));
                }
                if (relu) {
                    v = v.blend(zero, v.compare(VectorOperators.LE, 0f));
                }
                v.intoArray(c, row + j);
            }
            for (; j < cols; j++) {
                float v = bias != null ? c[row + j] + bias[j0 + j] : c[row + j];
                c[row + j] = relu ? ScalarMath.apply(Unary.RELU, 0f, v) : v;
            }
        }
    }
}
