package dev.autodiff.simd;

import static dev.autodiff.simd.MicroKernel.MR;
import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies operands of {@link Gemm} into the layouts the {@link MicroKernel} reads: B into
 * panels of {@link MicroKernel#panelWidth} columns, each the whole shared dimension long
 * and zero-padded past the last column, and a transposed A into micro-panels.
 */
final class GemmPacking {
    private GemmPacking() {}

    private static final int L = F.length();
    /** A run of {@code MR} floats, one row step of a micro-panel of transposed A. */
    private static final VectorSpecies<Float> RUN = VectorSpecies.of(float.class, VectorShape.forBitSize(MR * Float.SIZE));
    /** Rows of a transposed B copied per pass, so the written panel lines stay in L1. */
    private static final int TRANSPOSE_BLOCK = 128;
    /** {@code ROW_STARTS[n][l] = l·n}: where L consecutive rows of a matrix n wide start, for n up to {@link Gemm#ROW_DOT_MAX_N}. */
    private static final int[][] ROW_STARTS = new int[Gemm.ROW_DOT_MAX_N + 1][L];

    static {
        for (int n = 0; n <= Gemm.ROW_DOT_MAX_N; n++) {
            for (int l = 0; l < L; l++) {
                ROW_STARTS[n][l] = l * n;
            }
        }
    }

    /**
     * Packs columns {@code [j0, j0 + cols)} of op(B) (k×n) as one panel {@code width} wide at
     * {@code dst[d..d + k·width)}: element (p, j) goes to {@code d + p·width + (j - j0)}.
     */
    static void packB(boolean transB, float[] b, int bo, int n, int k, int j0, int cols, int width, float[] dst, int d) {
        if (!transB && cols == width) {
            for (int p = 0, s = bo + j0, t = d; p < k; p++, s += n, t += width) {
                for (int v = 0; v < width; v += L) {
                    FloatVector.fromArray(F, b, s + v).intoArray(dst, t + v);
                }
            }
            return;
        }
        if (cols < width) {
            java.util.Arrays.fill(dst, d, d + k * width, 0f);
        }
        if (!transB) {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bo + p * n + j0, dst, d + p * width, cols);
            }
            return;
        }
        // B is stored n×k: column j of op(B) is row j of B, read contiguously. Groups of 16 columns
        // transpose in registers, 16 rows of op(B) at a time; what is left goes element by element.
        int size = BlockTranspose.SIZE;
        int blockCols = BlockTranspose.APPLIES ? cols - cols % size : 0;
        int blockRows = k - k % size;
        for (int jj = 0; jj < blockCols; jj += size) {
            int s = bo + (j0 + jj) * k;
            for (int p = 0; p < blockRows; p += size) {
                BlockTranspose.transpose(b, s + p, k, dst, d + p * width + jj, width);
            }
        }
        copyTransposed(b, bo, k, j0, 0, blockCols, blockRows, k, width, dst, d);
        copyTransposed(b, bo, k, j0, blockCols, cols, 0, k, width, dst, d);
    }

    /** Columns {@code [c0, c1)} of the panel and rows {@code [p0, p1)} of op(B), B stored n×k, element by element. */
    private static void copyTransposed(float[] b, int bo, int k, int j0, int c0, int c1, int p0, int p1, int width,
                                       float[] dst, int d) {
        for (int q0 = p0; q0 < p1; q0 += TRANSPOSE_BLOCK) {
            int q1 = Math.min(p1, q0 + TRANSPOSE_BLOCK);
            for (int jj = c0; jj < c1; jj++) {
                int s = bo + (j0 + jj) * k;
                for (int p = q0; p < q1; p++) {
                    dst[d + p * width + jj] = b[s + p];
                }
            }
        }
    }

    /**
     * Packs rows {@code [i0, i0 + rows)} and columns {@code [p0, p0 + kc)} of op(A) = Aᵀ, A stored
     * k×m, for {@link MicroKernel#multiplyPackedA}: micro-panel {@code q} of {@code MR} rows at
     * {@code dst[q·kc·MR ..]}, element (r, p) at {@code p·MR + r} in it, rows past the end zero.
     */
    static void packTransposedA(float[] a, int ao, int m, int i0, int rows, int p0, int kc, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += MR) {
            int d = r0 * kc;
            int n = Math.min(MR, rows - r0);
            if (n < MR) {
                java.util.Arrays.fill(dst, d, d + kc * MR, 0f);
            }
            int s = ao + p0 * m + i0 + r0;
            if (n == MR) {
                // one MR-float vector per step: an arraycopy call per run costs more than the floats
                for (int p = 0; p < kc; p++, s += m, d += MR) {
                    FloatVector.fromArray(RUN, a, s).intoArray(dst, d);
                }
            } else {
                for (int p = 0; p < kc; p++, s += m, d += MR) {
                    System.arraycopy(a, s, dst, d, n);
                }
            }
        }
    }

    /**
     * B (k×n, row-major, n at most {@link Gemm#ROW_DOT_MAX_N}) transposed into {@code dst} (n×k):
     * one gather per L rows of a column, where a copy element by element walked B with a
     * stride of n for every column (a 128×10×256 product took 12.8 µs with it, 12.2 with this).
     */
    static void transposeNarrow(float[] b, int bo, int k, int n, float[] dst) {
        int[] rowStarts = ROW_STARTS[n];
        int whole = k - k % L;
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < whole; p += L) {
                FloatVector.fromArray(F, b, bo + p * n + j, rowStarts, 0).intoArray(dst, j * k + p);
            }
            for (int p = whole; p < k; p++) {
                dst[j * k + p] = b[bo + p * n + j];
            }
        }
    }
}
