package dev.autodiff.simd;

import static dev.autodiff.simd.Floats.assertBitEqual;
import static dev.autodiff.simd.Floats.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarKernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reductions and row ops against the scalar reference. Sums across an inner axis keep the
 * reference's order and must match bit for bit, as must every max; sums along a contiguous
 * axis are reordered: both accumulate in double, so they agree to 1 ulp plus the double
 * sums' own rounding, {@code 2n·2^-53·Σ|x|}, which shows where a row cancels. Softmax and
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
                    assertSumsAgree(x, outer, axis, expected, actual, what);
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

    /**
     * Rows that cancel: {@code 1e30 + 1 - 1e30} is 0 in the reference's order and 1 in the
     * vectors' (the exact sum), and rows that mix ±1e30 into ordinary values differ by far more
     * than an ulp. Both are within the double accumulation's bound.
     */
    @Test
    void contiguousSumsThatCancelAgreeWithinTheDoubleRounding() {
        float[] cancel = new float[16];
        cancel[0] = 1e30f;
        cancel[1] = 1f;
        cancel[2] = -1e30f;
        float[] sum = new float[1];
        SIMD.reduce(Reduce.SUM, cancel, 1, 16, 1, sum);
        assertEquals(1f, sum[0], "1e30 + 1 - 1e30 summed in lanes");
        int rows = 64;
        int axis = 1021;
        float[] x = Floats.uniform(rows * axis, 5);
        Random rnd = new Random(5);
        for (int i = 0; i < x.length; i += 1 + rnd.nextInt(200)) {
            x[i] = rnd.nextBoolean() ? 1e30f : -1e30f;
        }
        float[] expected = new float[rows];
        float[] actual = new float[rows];
        SCALAR.reduce(Reduce.SUM, x, rows, axis, 1, expected);
        SIMD.reduce(Reduce.SUM, x, rows, axis, 1, actual);
        assertSumsAgree(x, rows, axis, expected, actual, "rows with ±1e30");
    }

    /** Row sums within 1 ulp of the reference plus {@code 2n·2^-53·Σ|x|}, NaN where it is NaN. */
    private static void assertSumsAgree(float[] x, int rows, int axis, float[] expected, float[] actual, String what) {
        for (int r = 0; r < rows; r++) {
            double magnitude = 0;
            for (int i = r * axis; i < (r + 1) * axis; i++) {
                magnitude += Math.abs(x[i]);
            }
            double bound = Math.ulp(expected[r]) + 2.0 * axis * 0x1p-53 * magnitude;
            boolean ok = Float.compare(expected[r], actual[r]) == 0
                    || Math.abs((double) expected[r] - actual[r]) <= bound;
            assertTrue(ok, what + ": row " + r + " expected " + expected[r] + " but got " + actual[r]);
        }
    }

    /**
     * Rows the random test's clamped logits never hold: spreads of ±1e30 and ±3e38, a row of
     * equal values, an infinity, a row of -Inf, a NaN, values around exp's overflow and
     * underflow, subnormals; each as long as a vector, and longer, and the first class and
     * the last as labels.
     */
    @Test
    void softmaxFamilyKeepsItsBoundsOnHardRows() {
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {1e30f, -1e30f, 0f, 1f}, {3e38f, -3e38f, 1f, -1f}, {7f, 7f, 7f, 7f}, {inf, 1f, 2f, 3f},
            {-inf, -inf, -inf, -inf}, {Float.NaN, 1f, 2f, 3f}, {88.7f, -87.3f, -103.97f, 0f},
            {1e-40f, -1e-40f, Float.MIN_VALUE, 0f}, {-inf, 0f, 1f, 2f}, {80.08f, 103f, 0f, -1f},
        };
        for (int cols : new int[] {4, 16, 17, 33}) {
            int n = rows.length * cols;
            float[] x = new float[n];
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < cols; c++) {
                    x[r * cols + c] = c < 4 ? rows[r][c] : rows[r][c % 4] - c; // longer rows repeat, lowered
                }
            }
            int[] labels = new int[rows.length];
            for (int r = 0; r < rows.length; r++) {
                labels[r] = r % 2 == 0 ? 0 : cols - 1;
            }
            checkSoftmaxFamily(x, rows.length, cols, labels);
        }
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
            checkSoftmaxFamily(x, rows, cols, new Random(rows).ints(rows, 0, cols).toArray());
        }
    }

    /**
     * Softmax, log-softmax and the cross-entropy's probabilities and loss within their bounds,
     * and its backward bit for bit, on {@code rows}×{@code cols} logits.
     */
    private static void checkSoftmaxFamily(float[] x, int rows, int cols, int[] labels) {
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
