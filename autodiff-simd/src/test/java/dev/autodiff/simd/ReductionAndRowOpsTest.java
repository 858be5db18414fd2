package dev.autodiff.simd;

import static dev.autodiff.simd.Floats.assertBitEqual;
import static dev.autodiff.simd.Floats.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reductions and row ops against the scalar reference. Sums across an inner axis keep the
 * reference's order and must match bit for bit, as must every max; sums along a contiguous
 * axis are reordered and must agree to 1 ulp (they are accumulated in double). Softmax and
 * log-softmax use the vector exp: 4 ulp, or 1e-40 absolute for subnormal probabilities;
 * log-softmax and the cross-entropy loss also 1e-12 absolute near 0, where the double row
 * sum's last bit shows (the order of that sum is checked exactly by {@link SumOrderTest}).
 */
class ReductionAndRowOpsTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels SIMD = new SimdKernels(2);

    private static final int[][] SHAPES = {
        {1, 4099, 1}, {37, 1021, 1}, {5, 7, 1}, {3, 0, 1}, {1, 127, 300}, {1, 9, 17}, {4, 31, 1021},
        {2, 5, 7}, {1, 1, 1}, {0, 5, 3}, {127, 1, 9}, {1, 70000, 1}, {3, 600, 257},
    };

    @Test
    void sumAndMaxMatchReference() {
        for (int[] s : SHAPES) {
            int outer = s[0];
            int axis = s[1];
            int inner = s[2];
            float[] x = Floats.values(outer * axis * inner, axis);
            for (Reduce op : Reduce.values()) {
                float[] expected = new float[outer * inner];
                float[] actual = new float[outer * inner];
                SCALAR.reduce(op, x, outer, axis, inner, expected);
                SIMD.reduce(op, x, outer, axis, inner, actual);
                String what = op + " " + java.util.Arrays.toString(s);
                if (op == Reduce.SUM && inner == 1) {
                    assertClose(expected, actual, expected.length, 1, 0, what);
                } else {
                    assertBitEqual(expected, actual, expected.length, what);
                }
            }
        }
    }

    @Test
    void maxKeepsTheFirstSignedZeroAndPropagatesNaN() {
        float[] x = {-0f, 0f, -1f, -5f, -3f, -2f, -7f, -9f, -4f, -6f, 0f, -0f, -1f, -2f, -3f, -4f, -5f, -6f};
        float[] out = new float[2];
        SIMD.reduce(Reduce.MAX, x, 2, 9, 1, out);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(out[0]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(out[1]));
        x[12] = Float.NaN;
        SIMD.reduce(Reduce.MAX, x, 2, 9, 1, out);
        assertEquals(Float.NaN, out[1]);
    }

    @Test
    void softmaxFamilyMatchesReference() {
        int[][] shapes = {{1, 1}, {3, 7}, {128, 10}, {5, 1021}, {2, 4099}, {0, 5}, {300, 17}};
        for (int[] s : shapes) {
            int rows = s[0];
            int cols = s[1];
            float[] x = Floats.values(rows * cols, cols);
            for (int i = 0; i < x.length; i++) {
                x[i] = Float.isFinite(x[i]) ? Math.max(-1e4f, Math.min(1e4f, x[i])) : 0f;
            }
            int n = rows * cols;
            float[] expected = new float[n];
            float[] actual = new float[n];
            String what = rows + "x" + cols;
            SCALAR.softmax(x, rows, cols, expected);
            SIMD.softmax(x, rows, cols, actual);
            assertClose(expected, actual, n, 4, 1e-40, "softmax " + what);
            SCALAR.logSoftmax(x, rows, cols, expected);
            SIMD.logSoftmax(x, rows, cols, actual);
            assertClose(expected, actual, n, 4, 1e-12, "logSoftmax " + what);

            int[] labels = new Random(rows).ints(rows, 0, cols).toArray();
            float[] lossExpected = new float[rows];
            float[] lossActual = new float[rows];
            SCALAR.softmaxCrossEntropy(x, rows, cols, labels, expected, lossExpected);
            SIMD.softmaxCrossEntropy(x, rows, cols, labels, actual, lossActual);
            assertClose(expected, actual, n, 4, 1e-40, "softmaxCrossEntropy probs " + what);
            assertClose(lossExpected, lossActual, rows, 4, 1e-12, "softmaxCrossEntropy loss " + what);

            float[] g = Floats.uniform(rows, 3);
            float[] dExpected = new float[n];
            float[] dActual = new float[n];
            SCALAR.softmaxCrossEntropyBackward(expected, rows, cols, labels, g, dExpected);
            SIMD.softmaxCrossEntropyBackward(expected, rows, cols, labels, g, dActual);
            assertBitEqual(dExpected, dActual, n, "softmaxCrossEntropyBackward " + what);
        }
    }
}
