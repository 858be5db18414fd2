package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Packing a transposed B gives the panel an element-by-element copy gives, for whole and
 * partial 16×16 blocks in both directions, partial panels (zero-padded), and panels that
 * start past the first row of B.
 */
class GemmPackingTest {

    @Test
    void transposedPanelsAreTheElementwiseCopy() {
        int[] depths = {1, 15, 16, 17, 33, 64, 100};
        int[] widths = {1, 7, 15, 16, 17, 31, 32, 33, 48};
        for (int k : depths) {
            for (int n : widths) {
                int rows = n + 5;
                float[] b = new float[3 + rows * k];
                for (int i = 0; i < b.length; i++) {
                    b[i] = i * 0.5f - 7f;
                }
                for (int j0 = 0; j0 < n; j0 += MicroKernel.NR) {
                    int cols = Math.min(MicroKernel.NR, n - j0);
                    int width = MicroKernel.panelWidth(cols);
                    float[] dst = new float[2 + k * width];
                    java.util.Arrays.fill(dst, Float.NaN);
                    GemmPacking.packB(true, b, 3 + 5 * k, rows, k, j0, cols, width, dst, 2);
                    for (int p = 0; p < k; p++) {
                        for (int jj = 0; jj < width; jj++) {
                            float expected = jj < cols ? b[3 + (5 + j0 + jj) * k + p] : 0f;
                            assertEquals(expected, dst[2 + p * width + jj],
                                    "k=" + k + " n=" + n + " j0=" + j0 + " width=" + width + " at (" + p + ", " + jj + ")");
                        }
                    }
                }
            }
        }
    }
}
