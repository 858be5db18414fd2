package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autodiff.kernel.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A linear layer on one sample with its weight packed in panels ({@link Gemm#linearOneRow}).
 * The panels cover the weight's first {@code n - n % NARROW} rows whatever the threads; each
 * column there is the multiply-adds of its products in k order from zero, then the bias and
 * the ReLU. The columns past them are lane-split dot products, within rounding of the exact
 * sum. One and two threads (wide panels and narrow ones) give the same bits, with and
 * without bias and ReLU, on widths around one and several panels.
 */
class LinearOneRowTest {
    private static final int W = RowPanelKernel.WIDE;
    private static final int NARROW = RowPanelKernel.NARROW;
    private static final int[] WIDTHS = {NARROW - 1, NARROW, NARROW + 9, W, W + 1, W + 44, W + NARROW + 3, 2 * W,
        2 * W + 17, 3 * W + 16, 4 * W};
    private static final int[] DEPTHS = {0, 1, 7, 64, 100, 784};

    @Test
    void theLayoutHoldsTheWeightsFirstRowsTransposedInPanels() {
        for (int threads : new int[] {1, 2}) {
            Kernels kernels = new SimdKernels(threads);
            assertNull(kernels.packForOneRow(NARROW - 1, 5, new float[(NARROW - 1) * 5]), "less than a panel");
            int longK = (int) (Gemm.ONE_ROW_MAX_FLOATS / W) + 1;
            assertNull(kernels.packForOneRow(W, longK, new float[W * longK]), "a weight past the cap");
            int n = 2 * W + NARROW + 3; // wide panels and a narrow one on one thread, narrow ones on two
            float[] w = Floats.values(n * 3, 4);
            float[] packed = kernels.packForOneRow(n, 3, w);
            if (!RowPanelKernel.APPLIES) {
                assertNull(packed);
                continue;
            }
            int covered = n / NARROW * NARROW;
            assertEquals(covered * 3, packed.length);
            for (int j = 0; j < covered; j++) {
                int width = threads == 1 && j < covered / W * W ? W : NARROW;
                int start = j / width * width;
                for (int p = 0; p < 3; p++) {
                    assertEquals(w[j * 3 + p], packed[start * 3 + p * width + j - start],
                            threads + " threads, row " + j + ", input " + p);
                }
            }
        }
    }

    @Test
    void panelColumnsSumInOrderTheRestWithinRoundingAndTheThreadsAgree() {
        if (!RowPanelKernel.APPLIES) {
            return; // nothing is packed: linear serves one row as it serves many
        }
        Kernels one = new SimdKernels(1);
        Kernels two = new SimdKernels(2);
        for (int n : WIDTHS) {
            for (int k : DEPTHS) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean withBias = (variant & 1) != 0;
                    boolean relu = (variant & 2) != 0;
                    String what = "1x" + n + "x" + k + " bias=" + withBias + " relu=" + relu;
                    float[] x = gaussian(k, 31L * n + k);
                    float[] w = gaussian(n * k, 17L * n + k);
                    float[] bias = withBias ? Floats.values(n, n) : null;
                    float[] byOne = run(one, n, k, x, w, bias, relu);
                    float[] byTwo = run(two, n, k, x, w, bias, relu);
                    if (n < NARROW) {
                        assertNull(byOne, what + ": no layout under one panel");
                        continue;
                    }
                    check(byOne, n, k, x, w, bias, relu, what);
                    for (int j = 0; j < n; j++) {
                        if (Float.floatToIntBits(byOne[j]) != Float.floatToIntBits(byTwo[j])) {
                            fail(what + ": column " + j + " is " + byOne[j] + " on one thread, " + byTwo[j] + " on two");
                        }
                    }
                }
            }
        }
    }

    private static float[] gaussian(int size, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** The kernels' output from their layout, or null when they make none. */
    private static float[] run(Kernels kernels, int n, int k, float[] x, float[] w, float[] bias, boolean relu) {
        float[] packed = kernels.packForOneRow(n, k, w);
        if (packed == null) {
            return null;
        }
        float[] out = new float[n];
        java.util.Arrays.fill(out, 42f); // the kernel overwrites, whatever was there
        kernels.linearOneRow(n, k, x, w, packed, bias, relu, out);
        return out;
    }

    private static void check(float[] out, int n, int k, float[] x, float[] w, float[] bias, boolean relu, String what) {
        int covered = n / NARROW * NARROW;
        for (int j = 0; j < n; j++) {
            float inOrder = 0f;
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                inOrder = Math.fma(x[p], w[j * k + p], inOrder);
                exact += (double) x[p] * w[j * k + p];
                magnitude += Math.abs((double) x[p] * w[j * k + p]);
            }
            if (j < covered) {
                float s = bias == null ? inOrder : inOrder + bias[j];
                float expected = relu && s <= 0f ? 0f : s; // NaN stays NaN, as in the epilogue
                if (Float.floatToIntBits(out[j]) != Float.floatToIntBits(expected)) {
                    fail(what + ": column " + j + " is " + out[j] + ", the sum in order gives " + expected);
                }
            } else {
                double sum = bias == null ? exact : exact + bias[j];
                double expected = relu && !(sum > 0) ? 0 : sum;
                double tolerance = 1e-5 * (magnitude + (bias == null ? 0 : Math.abs(bias[j])));
                if (Double.isNaN(sum) || Double.isInfinite(sum)) {
                    assertEquals((float) expected, out[j], what + ": column " + j);
                } else {
                    assertEquals(expected, out[j], tolerance, what + ": column " + j);
                }
            }
        }
    }
}
