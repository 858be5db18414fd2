package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import org.junit.jupiter.api.Test;

/**
 * The matrix product against the scalar reference in all four layouts. Sums are reordered
 * (blocked, and fused multiply-adds), so each element must lie within
 * {@code 2·(k+1)·ε·(|c|+Σ|a||b|)} of the reference, ε the float epsilon and c what C held
 * (0 unless the product adds to it): the bound of two orders of summing k + 1 terms. It
 * holds where no product or partial sum leaves the normal floats, as the README says.
 */
class GemmTest {
    private static final int[] SIZES = {1, 2, 5, 7, 8, 9, 16, 17, 31, 64, 100};
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels SIMD = new SimdKernels(2);

    @Test
    void everySizeInEveryLayout() {
        for (int layout = 0; layout < 4; layout++) {
            boolean transA = (layout & 1) != 0;
            boolean transB = (layout & 2) != 0;
            for (int m : SIZES) {
                for (int n : SIZES) {
                    for (int k : SIZES) {
                        check(1, transA, transB, m, n, k, false, 0, 0, (m + 7 * n + 31 * k) % 3 == 0);
                    }
                }
            }
        }
    }

    @Test
    void accumulateAndBatchesWithRepeatedOperands() {
        int[][] shapes = {{5, 17, 9}, {64, 31, 100}, {17, 64, 257}, {100, 9, 16}};
        for (int[] s : shapes) {
            for (int layout = 0; layout < 4; layout++) {
                boolean transA = (layout & 1) != 0;
                boolean transB = (layout & 2) != 0;
                check(3, transA, transB, s[0], s[1], s[2], true, 0, 1, false);
                check(3, transA, transB, s[0], s[1], s[2], false, 1, 0, true);
                check(1, transA, transB, s[0], s[1], s[2], true, 1, 1, true);
            }
        }
    }

    @Test
    void largeBlockedShapesAcrossColumnChunks() {
        check(1, false, false, 130, 300, 600, false, 1, 1, false);
        check(1, false, true, 67, 520, 2100, true, 1, 1, false);
        check(1, true, false, 129, 70, 513, false, 1, 1, false);
    }

    /**
     * A·Bᵀ around the limits of the unpacked path: rows of A up to and past
     * {@link Gemm#ROW_DOT_MAX_M}, the shared dimension around {@link Gemm#ROW_DOT_MIN_K} and
     * with a tail past whole vectors, A on both sides of {@link Gemm#ROW_DOT_MAX_A}, and
     * partial 4×4 tiles in both directions.
     */
    @Test
    void unpackedTransposedBAroundItsLimits() {
        int maxM = Gemm.ROW_DOT_MAX_M;
        int minK = Gemm.ROW_DOT_MIN_K;
        int[][] shapes = {{1, 67, minK}, {3, 21, minK - 1}, {4, 20, minK}, {5, 19, minK + 1}, {maxM - 1, 6, minK + 17},
            {maxM, 9, 2 * minK + 3}, {maxM + 1, 3, minK}, {64, 258, 784}, {maxM, 2, (int) (Gemm.ROW_DOT_MAX_A / maxM)},
            {maxM, 2, (int) (Gemm.ROW_DOT_MAX_A / maxM) + 1}};
        for (int[] s : shapes) {
            check(1, false, true, s[0], s[1], s[2], false, 1, 1, false);
            check(2, false, true, s[0], s[1], s[2], true, 1, 0, true);
        }
    }

    /**
     * A one-row A·Bᵀ (a layer on one sample) runs its own kernel, eight columns at a time: each
     * element has the bits of the same row in a taller product, which runs 4×4 tiles, for
     * partial column groups, shared dimensions with and without a tail, accumulating or not
     * (a NaN may differ in sign, which no kernel promises).
     */
    @Test
    void oneRowHasTheBitsOfATallerProduct() {
        int minK = Gemm.ROW_DOT_MIN_K;
        for (int n : new int[] {1, 3, 7, 8, 9, 10, 17, 256}) {
            for (int k : new int[] {minK, minK + 1, 100, 784}) {
                float[] row = Floats.values(k, n + k);
                float[] b = Floats.values(n * k, 7L * n + k);
                int rows = Math.max(2, 4096 / (n * k) + 1); // past the tiny products, which run scalar loops
                float[] tallA = new float[rows * k];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(row, 0, tallA, r * k, k);
                }
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] one = Floats.values(n, 3);
                    float[] tall = new float[rows * n];
                    System.arraycopy(one, 0, tall, 0, n);
                    SIMD.gemm(false, true, 1, n, k, row, b, one, accumulate);
                    SIMD.gemm(false, true, rows, n, k, tallA, b, tall, accumulate);
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToIntBits(tall[j]), Float.floatToIntBits(one[j]),
                                "1x" + n + "x" + k + " accumulate=" + accumulate + ", column " + j);
                    }
                }
            }
        }
    }

    /**
     * One row times B as stored reads B where it is ({@code Gemm.rowTimesMatrix}), and each
     * column sums as in the packed product of more rows: whole blocks of columns, a partial
     * one, a masked last vector, k past one block of {@code Gemm.KC}, on one and two threads.
     */
    @Test
    void oneRowTimesBAsStoredHasTheBitsOfATallerProduct() {
        Kernels oneThread = new SimdKernels(1);
        for (int n : new int[] {13, 16, 17, 127, 128, 129, 256, 300, 784}) {
            for (int k : new int[] {1, 7, 64, 256, 784, Gemm.KC + 5}) {
                if ((long) n * k <= 4096) {
                    continue; // tiny products run the scalar loops
                }
                float[] row = Floats.values(k, 3L * n + k);
                float[] b = Floats.values(k * n, 11L * n + k);
                int rows = 9;
                float[] tallA = new float[rows * k];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(row, 0, tallA, r * k, k);
                }
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] tall = new float[rows * n];
                    float[] one = Floats.values(n, 5);
                    System.arraycopy(one, 0, tall, 0, n);
                    float[] oneOnOneThread = one.clone();
                    SIMD.gemm(false, false, rows, n, k, tallA, b, tall, accumulate);
                    SIMD.gemm(false, false, 1, n, k, row, b, one, accumulate);
                    oneThread.gemm(false, false, 1, n, k, row, b, oneOnOneThread, accumulate);
                    String what = "1x" + n + "x" + k + " accumulate=" + accumulate;
                    Floats.assertBitEqual(tall, one, n, what);
                    Floats.assertBitEqual(one, oneOnOneThread, n, what + ", one thread");
                }
            }
        }
    }

    /**
     * Adding a short product to C sums k + 1 terms, C's among them: 1 + 4·(0.51·ε) rounds up at
     * each of the reference's four additions (1 + 4ε) and once at the end in the micro-kernel
     * (1 + 2ε, the nearer float), more than an ulp of C apart, within the bound of k + 1 terms.
     */
    @Test
    void addingToCHasTheBoundOfKPlusOneTerms() {
        int m = 32;
        int n = 40;
        int k = 4;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        java.util.Arrays.fill(a, 0, k, 0.51f * Math.ulp(1f));
        for (int p = 0; p < k; p++) {
            b[p * n] = 1f;
        }
        float[] expected = new float[m * n];
        expected[0] = 1f;
        float[] actual = expected.clone();
        SCALAR.gemm(false, false, m, n, k, a, b, expected, true);
        SIMD.gemm(false, false, m, n, k, a, b, actual, true);
        double bound = 2.0 * (k + 1) * Math.ulp(1f) * (1 + k * 0.51 * Math.ulp(1f));
        assertEquals(expected[0], actual[0], bound, "C[0][0]");
    }

    /**
     * A·Bᵀ with rows filling whole panels and several times as many columns runs as (B·Aᵀ)ᵀ:
     * within the reference's bound, and with the bits of B·Aᵀ transposed, which for these
     * shapes runs packed as the swap does (for a B of at most {@link Gemm#ROW_DOT_MAX_M} rows
     * and a shared dimension from {@link Gemm#ROW_DOT_MIN_K}, B·Aᵀ itself would run unpacked
     * on {@link RowDotKernel} and could differ by an ulp). Partial 16×16 blocks of the transposition, a shared dimension past one block
     * of {@link Gemm#KC}, and two threads are among the cases. Without 16-lane vectors
     * ({@link BlockTranspose#APPLIES}) the product runs directly and only the bound holds.
     */
    @Test
    void fewRowsTimesManyRunAsTheTransposeWithItsBits() {
        int nr = MicroKernel.NR;
        int[][] shapes = {{nr, 2 * nr + 13, 37}, {nr, 300, Gemm.KC + 76}, {2 * nr, 4 * nr, 784}, {3 * nr, 7 * nr + 5, 100}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            check(1, false, true, m, n, k, false, 1, 1, true);
            if (!BlockTranspose.APPLIES) {
                continue;
            }
            float[] a = Floats.uniform(m * k, m + 3L * k);
            float[] b = Floats.uniform(n * k, n + 5L * k);
            float[] c = new float[m * n];
            float[] transposed = new float[n * m];
            SIMD.gemm(false, true, m, n, k, a, b, c, false);
            SIMD.gemm(false, true, n, m, k, b, a, transposed, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToIntBits(transposed[j * m + i]), Float.floatToIntBits(c[i * n + j]),
                            m + "x" + n + "x" + k + ": C[" + i + "][" + j + "]");
                }
            }
        }
    }

    /**
     * Aᵀ·B whose last panel is one vector wide runs the narrow kernel, eight rows at a time:
     * each element has the bits of the same column in a two-vector panel, for row counts
     * around the kernel's eight and a shared dimension past one block of {@link Gemm#KC}. Every
     * narrow product is past the tiny ones, which run the reference's loops, for 4 lanes too.
     */
    @Test
    void aNarrowPanelOfTransposedAHasTheBitsOfAWideOne() {
        int lanes = MicroKernel.NR / 2;
        for (int m : new int[] {3, 4, 5, 8, 13, 64}) {
            for (int k : new int[] {400, Gemm.KC + 3}) {
                int wide = 3 * lanes;
                float[] a = Floats.uniform(k * m, 11L * m + k);
                float[] b = Floats.uniform(k * wide, 13L * m + k);
                float[] narrowB = leadingColumns(b, k, wide, lanes);
                float[] c = new float[m * wide];
                float[] narrow = new float[m * lanes];
                SIMD.gemm(true, false, m, wide, k, a, b, c, false);
                SIMD.gemm(true, false, m, lanes, k, a, narrowB, narrow, false);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < lanes; j++) {
                        assertEquals(Float.floatToIntBits(c[i * wide + j]), Float.floatToIntBits(narrow[i * lanes + j]),
                                "Aᵀ·B " + m + "x" + lanes + "x" + k + ": C[" + i + "][" + j + "]");
                    }
                }
                check(1, true, false, m, wide - 5, k, true, 1, 1, true);
            }
        }
    }

    /**
     * Aᵀ·B with few rows reads both operands unpacked, five rows at a time: each element has
     * the bits of the same element of a taller product, which packs, for row counts around
     * the kernel's five and the path's limit, a partial last strip of columns, and a shared
     * dimension past one block of {@link Gemm#KC}; with C added to as well.
     */
    @Test
    void fewRowsOfTransposedAHaveTheBitsOfATallerProduct() {
        int tall = 64;
        for (int m : new int[] {1, 4, 5, 6, 9, Gemm.FEW_ROWS_MAX_M, Gemm.FEW_ROWS_MAX_M + 1}) {
            for (int k : new int[] {300, Gemm.KC + 3}) {
                for (int n : new int[] {64, 70}) {
                    float[] aTall = Floats.uniform(k * tall, 7L * m + k + n);
                    float[] b = Floats.uniform(k * n, 5L * m + k + n);
                    float[] a = leadingColumns(aTall, k, tall, m);
                    float[] cTall = new float[tall * n];
                    float[] c = new float[m * n];
                    SIMD.gemm(true, false, tall, n, k, aTall, b, cTall, false);
                    SIMD.gemm(true, false, m, n, k, a, b, c, false);
                    // C's first m rows of the taller product
                    Floats.assertBitEqual(cTall, c, m * n, "Aᵀ·B " + m + "x" + n + "x" + k);
                    check(1, true, false, m, n, k, true, 1, 1, true);
                }
            }
        }
    }

    /** The first {@code cols} columns of the row-major {@code rows}×{@code width} matrix x. */
    private static float[] leadingColumns(float[] x, int rows, int width, int cols) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * width, out, r * cols, cols);
        }
        return out;
    }

    /** A·B with few columns, which runs as A·Bᵀ on a transposed B, around the same limits. */
    @Test
    void fewColumnsAroundTheTransposedLimits() {
        int maxN = Gemm.ROW_DOT_MAX_N;
        int[][] shapes = {{100, 1, Gemm.ROW_DOT_MIN_K}, {128, 10, 256}, {37, maxN, Gemm.ROW_DOT_MIN_K + 5},
            {Gemm.ROW_DOT_MAX_M, maxN - 1, 99}, {Gemm.ROW_DOT_MAX_M + 1, 3, 70}, {64, maxN + 1, 200}, {50, 7, 63}};
        for (int[] s : shapes) {
            check(1, false, false, s[0], s[1], s[2], false, 1, 1, false);
            check(2, false, false, s[0], s[1], s[2], true, 1, 0, true);
        }
    }

    @Test
    void emptyShapesLeaveOrClearTheOutput() {
        float[] c = {1f, 2f, 3f, 4f};
        SIMD.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, true);
        assertEquals(1f, c[0]);
        SIMD.gemm(false, false, 2, 2, 0, new float[0], new float[0], c, false);
        assertEquals(0f, c[3]);
        SIMD.gemm(false, false, 0, 2, 3, new float[0], new float[6], c, false);
    }

    /**
     * One product through both kernels. {@code aRepeat}/{@code bRepeat} 0 makes that operand's
     * batch stride 0; the operands sit at an offset so offsets are exercised too.
     */
    private static void check(int batch, boolean transA, boolean transB, int m, int n, int k,
                              boolean accumulate, int aRepeat, int bRepeat, boolean withOffsets) {
        int off = withOffsets ? 3 : 0;
        int aStride = aRepeat * m * k;
        int bStride = bRepeat * k * n;
        int cStride = m * n + 1;
        float[] a = Floats.uniform(off + m * k * Math.max(1, aRepeat * batch), m * 131L + k);
        float[] b = Floats.uniform(off + k * n * Math.max(1, bRepeat * batch), n * 17L + k);
        float[] c0 = Floats.uniform(off + cStride * batch, m + n + k);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        SCALAR.gemm(batch, transA, transB, m, n, k, a, off, aStride, b, off, bStride, expected, off, cStride, accumulate);
        SIMD.gemm(batch, transA, transB, m, n, k, a, off, aStride, b, off, bStride, actual, off, cStride, accumulate);
        String what = "gemm batch=" + batch + " tA=" + transA + " tB=" + transB + " m=" + m + " n=" + n + " k=" + k
                + " acc=" + accumulate;
        for (int bt = 0; bt < batch; bt++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double magnitude = accumulate ? Math.abs(c0[off + bt * cStride + i * n + j]) : 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[off + bt * aStride + p * m + i] : a[off + bt * aStride + i * k + p];
                        float bv = transB ? b[off + bt * bStride + j * k + p] : b[off + bt * bStride + p * n + j];
                        magnitude += Math.abs((double) av * bv);
                    }
                    double bound = 2.0 * (k + 1) * Math.ulp(1f) * magnitude;
                    int ci = off + bt * cStride + i * n + j;
                    if (!(Math.abs(expected[ci] - actual[ci]) <= bound)) {
                        fail(what + ": C[" + bt + "][" + i + "][" + j + "] expected " + expected[ci] + " got " + actual[ci]);
                    }
                }
            }
            // the gap between batch outputs is not written
            if (bt + 1 < batch) {
                assertEquals(c0[off + bt * cStride + m * n], actual[off + bt * cStride + m * n], what);
            }
        }
    }
}
