package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autodiff.kernel.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A linear layer on one sample with its weight packed in panels ({@link Gemm#linearOneRow}):
 * each column of a whole panel is the multiply-adds of its products in k order from zero,
 * then the bias and the ReLU; the columns past the last panel are what {@code linear} gives
 * for those rows of the weight alone. At one thread (wide panels) and two (narrow ones,
 * split between the threads), so the same bits either way; with and without bias and ReLU,
 * on widths around one and several panels.
 */
class LinearOneRowTest {
    private static final int W = RowPanelKernel.WIDE;

    @Test
    void onlyWholePanelsArePackedInTheWidthForTheThreadsAndTheLayer() {
        for (int threads : new int[] {1, 2}) {
            Kernels kernels = new SimdKernels(threads);
            int width = RowPanelKernel.width(threads, RowPanelKernel.WIDE);
            int narrow = RowPanelKernel.NARROW;
            assertNull(kernels.packForOneRow(narrow - 1, 5, new float[(narrow - 1) * 5]), "less than a panel");
            float[] small = kernels.packForOneRow(narrow + 3, 5, new float[(narrow + 3) * 5]);
            if (RowPanelKernel.APPLIES && threads == 1) {
                assertEquals(narrow * 5, small.length, "a layer under a wide panel has narrow ones");
            } else {
                assertNull(small, "one panel for two threads");
            }
            int longK = (int) (Gemm.ONE_ROW_MAX_FLOATS / width) + 1;
            assertNull(kernels.packForOneRow(width, longK, new float[width * longK]), "a weight past the cap");
            float[] w = Floats.values((2 * width + 3) * 3, 4);
            float[] packed = kernels.packForOneRow(2 * width + 3, 3, w);
            if (!RowPanelKernel.APPLIES) {
                assertNull(packed);
                continue;
            }
            assertEquals(2 * width * 3, packed.length);
            for (int j = 0; j < 2 * width; j++) {
                for (int p = 0; p < 3; p++) {
                    assertEquals(w[j * 3 + p], packed[j / width * 3 * width + p * width + j % width],
                            threads + " threads, row " + j + ", input " + p);
                }
            }
        }
    }

    @Test
    void panelColumnsSumInOrderAndTheRestAsLinear() {
        if (!RowPanelKernel.APPLIES) {
            return; // nothing is packed: linear serves one row as it serves many
        }
        for (Kernels kernels : new Kernels[] {new SimdKernels(1), new SimdKernels(2)}) {
            for (int n : new int[] {W / 2, W / 2 + 9, W, W + 1, W + 44, W + W / 2 + 3, 2 * W, 2 * W + 17, 3 * W + 16,
                4 * W}) {
                for (int k : new int[] {0, 1, 7, 64, 100, 784}) {
                    for (int variant = 0; variant < 4; variant++) {
                        check(kernels, n, k, (variant & 1) != 0, (variant & 2) != 0);
                    }
                }
            }
        }
    }

    private static void check(Kernels kernels, int n, int k, boolean withBias, boolean relu) {
        Random rnd = new Random(31L * n + k);
        float[] x = new float[k];
        float[] w = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        float[] bias = withBias ? Floats.values(n, n) : null;
        int width = RowPanelKernel.width(kernels.threads(), n);
        int panels = n / width >= kernels.threads() ? n / width : 0; // a thread per panel at least
        int panelColumns = panels * width;
        float[] expected = new float[n];
        for (int j = 0; j < panelColumns; j++) {
            float s = 0f;
            for (int p = 0; p < k; p++) {
                s = Math.fma(x[p], w[j * k + p], s);
            }
            s = withBias ? s + bias[j] : s;
            expected[j] = relu && s <= 0f ? 0f : s; // NaN stays NaN, as in the epilogue
        }
        int rest = n - panelColumns;
        if (rest > 0) {
            float[] restW = java.util.Arrays.copyOfRange(w, panelColumns * k, n * k);
            float[] restBias = withBias ? java.util.Arrays.copyOfRange(bias, panelColumns, n) : null;
            float[] restOut = new float[rest];
            kernels.linear(1, rest, k, x, restW, restBias, relu, restOut);
            System.arraycopy(restOut, 0, expected, panelColumns, rest);
        }
        float[] out = new float[n];
        java.util.Arrays.fill(out, 42f); // the kernel overwrites, whatever was there
        float[] packed = kernels.packForOneRow(n, k, w);
        if (packed == null) {
            assertEquals(0, panelColumns, "1x" + n + "x" + k + ": no panel packed");
            return;
        }
        kernels.linearOneRow(n, k, x, w, packed, bias, relu, out);
        for (int j = 0; j < n; j++) {
            if (Float.floatToIntBits(out[j]) != Float.floatToIntBits(expected[j])) {
                fail(kernels.threads() + " threads, 1x" + n + "x" + k + " bias=" + withBias + " relu=" + relu
                        + ": column " + j + " is " + out[j] + ", expected " + expected[j]);
            }
        }
    }
}
