package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * The register-blocked core of {@link Gemm}: a {@value #MR}-row by two-vector tile of C
 * kept in eight accumulators while the shared dimension runs, then added to C once. A
 * row comes from a row-major block of A (the operand itself, or a packed copy when A is
 * transposed); B comes from a packed panel, {@link #NR} floats per step of the shared
 * dimension. On AVX2 this is 8 FMAs for 2 loads and 4 broadcasts per step, and leaves
 * registers spare: a 6-row tile spilled accumulators on JDK 25.
 */
final class MicroKernel {
    private MicroKernel() {}

    static final int MR = 4;
    private static final int L = F.length();
    /** The width of a B panel: two vectors. */
    static final int NR = 2 * L;

    /**
     * {@code C[0..rows) x [0..cols) += A[0..rows) x [0..kc) · Bpanel[0..kc) x [0..NR)}. Row r of A
     * starts at {@code a0 + r·lda}; missing rows (rows < MR) reread row 0 and are not stored.
     * The panel is zero beyond {@code cols}; a partial row goes through {@code edge}
     * (2·L floats of scratch), as masked stores are slow on AVX2.
     */
    static void multiply(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                         float[] c, int c0, int ldc, int rows, int cols, float[] edge) {
        int a1 = rows > 1 ? a0 + lda : a0;
        int a2 = rows > 2 ? a0 + 2 * lda : a0;
        int a3 = rows > 3 ? a0 + 3 * lda : a0;
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            FloatVector b0v = FloatVector.fromArray(F, bp, bi);
            FloatVector b1v = FloatVector.fromArray(F, bp, bi + L);
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(F, a[a1 + p]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(F, a[a2 + p]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(F, a[a3 + p]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        addTo(c, c0, cols, edge, c00, c01);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, c10, c11);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, c20, c21);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, c30, c31);
        }
    }

    /** Adds two vectors to a row of C, of which only the first {@code cols} columns exist. */
    private static void addTo(float[] c, int at, int cols, float[] edge, FloatVector lo, FloatVector hi) {
        if (cols == NR) {
            FloatVector.fromArray(F, c, at).add(lo).intoArray(c, at);
            FloatVector.fromArray(F, c, at + L).add(hi).intoArray(c, at + L);
        } else {
            lo.intoArray(edge, 0);
            hi.intoArray(edge, L);
            for (int j = 0; j < cols; j++) {
                c[at + j] += edge[j];
            }
        }
    }
}
