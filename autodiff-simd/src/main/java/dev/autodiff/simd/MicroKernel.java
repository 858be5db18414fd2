package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * The register-blocked core of {@link Gemm}: a {@value #MR}-row by two-vector tile of C
 * kept in eight accumulators while the shared dimension runs, then added to C once, and
 * an {@value #NARROW_MR}-row by one-vector tile for panels one vector wide (outputs with
 * few columns, such as a classifier's 10, and the last 16 of a 784-wide weight gradient,
 * would waste half or more of a two-vector panel). A
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
    static final int NARROW_MR = 8;
    /** The rows of {@link #multiplyFewRows}: ten accumulators, and a classifier's ten rows in two passes. */
    static final int FEW_MR = 5;

    /** The width a B panel with {@code cols} columns is packed with: one vector when they fit in one. */
    static int panelWidth(int cols) {
        return cols <= L ? L : NR;
    }

    /**
     * {@code C[0..rows) x [0..cols) += A[0..rows) x [0..kc) · Bpanel[0..kc) x [0..NR)}. Row r of A
     * starts at {@code a0 + r·lda}; missing rows (rows < MR) reread row 0 and are not stored.
     * The panel is zero beyond {@code cols}; a partial row goes through {@code edge}
     * (2·L floats of scratch), as masked stores are slow on AVX2. With {@code store} the
     * product replaces C instead of adding to it.
     */
    static void multiply(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                         float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
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
        addTo(c, c0, cols, edge, store, c00, c01);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, store, c10, c11);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, store, c20, c21);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, store, c30, c31);
        }
    }

    /**
     * As {@link #multiply}, with A packed in steps of the shared dimension: element (r, p) of
     * the block at {@code ap[a0 + p·MR + r]}. A transposed operand packs into this layout by
     * copying runs of MR floats, where a row-major copy would be a slow transposition. The
     * loop repeats {@link #multiply}'s because the index must stay linear in p with constant
     * strides for C2 to drop the bounds checks, and the stores repeat too: a helper taking
     * the eight accumulators, if C2 declines to inline it, boxes them on every step.
     */
    static void multiplyPackedA(int kc, float[] ap, int a0, float[] bp, int b0,
                                float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
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
            int ai = a0 + p * MR;
            FloatVector b0v = FloatVector.fromArray(F, bp, bi);
            FloatVector b1v = FloatVector.fromArray(F, bp, bi + L);
            FloatVector av = FloatVector.broadcast(F, ap[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
        }
        addTo(c, c0, cols, edge, store, c00, c01);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, store, c10, c11);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, store, c20, c21);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, store, c30, c31);
        }
    }

    /**
     * As {@link #multiplyPackedA} for a panel one vector wide ({@code cols <= L}): two
     * micro-panels of A, eight rows, at a time, so that eight accumulators keep both FMA pipes
     * busy as in the wide kernel. The second micro-panel follows the first, at
     * {@code a0 + MR·kc}; with {@code MR} rows or fewer the first is read twice and the copy is
     * not stored. Each element sums as in the wide kernel, so the bits do not depend on the
     * panel's width.
     */
    static void multiplyPackedANarrow(int kc, float[] ap, int a0, float[] bp, int b0,
                                      float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        int a1 = rows > MR ? a0 + MR * kc : a0;
        FloatVector c0v = FloatVector.zero(F);
        FloatVector c1v = FloatVector.zero(F);
        FloatVector c2v = FloatVector.zero(F);
        FloatVector c3v = FloatVector.zero(F);
        FloatVector c4v = FloatVector.zero(F);
        FloatVector c5v = FloatVector.zero(F);
        FloatVector c6v = FloatVector.zero(F);
        FloatVector c7v = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(F, bp, b0 + p * L);
            int ai = a0 + p * MR;
            int aj = a1 + p * MR;
            c0v = FloatVector.broadcast(F, ap[ai]).fma(bv, c0v);
            c1v = FloatVector.broadcast(F, ap[ai + 1]).fma(bv, c1v);
            c2v = FloatVector.broadcast(F, ap[ai + 2]).fma(bv, c2v);
            c3v = FloatVector.broadcast(F, ap[ai + 3]).fma(bv, c3v);
            c4v = FloatVector.broadcast(F, ap[aj]).fma(bv, c4v);
            c5v = FloatVector.broadcast(F, ap[aj + 1]).fma(bv, c5v);
            c6v = FloatVector.broadcast(F, ap[aj + 2]).fma(bv, c6v);
            c7v = FloatVector.broadcast(F, ap[aj + 3]).fma(bv, c7v);
        }
        addTo(c, c0, cols, edge, store, c0v);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, store, c1v);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, store, c2v);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, store, c3v);
        }
        if (rows > 4) {
            addTo(c, c0 + 4 * ldc, cols, edge, store, c4v);
        }
        if (rows > 5) {
            addTo(c, c0 + 5 * ldc, cols, edge, store, c5v);
        }
        if (rows > 6) {
            addTo(c, c0 + 6 * ldc, cols, edge, store, c6v);
        }
        if (rows > 7) {
            addTo(c, c0 + 7 * ldc, cols, edge, store, c7v);
        }
    }

    /**
     * As {@link #multiply} for a panel one vector wide ({@code cols <= L}), eight rows at a
     * time: eight accumulators keep both FMA pipes busy as in the wide kernel.
     */
    static void multiplyNarrow(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                               float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        int a1 = rows > 1 ? a0 + lda : a0;
        int a2 = rows > 2 ? a0 + 2 * lda : a0;
        int a3 = rows > 3 ? a0 + 3 * lda : a0;
        int a4 = rows > 4 ? a0 + 4 * lda : a0;
        int a5 = rows > 5 ? a0 + 5 * lda : a0;
        int a6 = rows > 6 ? a0 + 6 * lda : a0;
        int a7 = rows > 7 ? a0 + 7 * lda : a0;
        FloatVector c0v = FloatVector.zero(F);
        FloatVector c1v = FloatVector.zero(F);
        FloatVector c2v = FloatVector.zero(F);
        FloatVector c3v = FloatVector.zero(F);
        FloatVector c4v = FloatVector.zero(F);
        FloatVector c5v = FloatVector.zero(F);
        FloatVector c6v = FloatVector.zero(F);
        FloatVector c7v = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(F, bp, b0 + p * L);
            c0v = FloatVector.broadcast(F, a[a0 + p]).fma(bv, c0v);
            c1v = FloatVector.broadcast(F, a[a1 + p]).fma(bv, c1v);
            c2v = FloatVector.broadcast(F, a[a2 + p]).fma(bv, c2v);
            c3v = FloatVector.broadcast(F, a[a3 + p]).fma(bv, c3v);
            c4v = FloatVector.broadcast(F, a[a4 + p]).fma(bv, c4v);
            c5v = FloatVector.broadcast(F, a[a5 + p]).fma(bv, c5v);
            c6v = FloatVector.broadcast(F, a[a6 + p]).fma(bv, c6v);
            c7v = FloatVector.broadcast(F, a[a7 + p]).fma(bv, c7v);
        }
        addTo(c, c0, cols, edge, store, c0v);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, store, c1v);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, store, c2v);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, store, c3v);
        }
        if (rows > 4) {
            addTo(c, c0 + 4 * ldc, cols, edge, store, c4v);
        }
        if (rows > 5) {
            addTo(c, c0 + 5 * ldc, cols, edge, store, c5v);
        }
        if (rows > 6) {
            addTo(c, c0 + 6 * ldc, cols, edge, store, c6v);
        }
        if (rows > 7) {
            addTo(c, c0 + 7 * ldc, cols, edge, store, c7v);
        }
    }

    /**
     * As {@link #multiplyPackedA} for a transposed A of few rows, read where it is stored:
     * {@value #FEW_MR} rows by two vectors, element (r, p) of op(A) at {@code a[a0 + p·lda + r]},
     * and row p of the B panel at {@code b[b0 + p·ldb]}, B itself when its rows are long enough.
     * A weight gradient with ten rows (a classifier's) so runs on ten accumulators per five
     * rows with nothing packed, where the packed kernel ran twelve rows, two of them padding,
     * after copying all of B. Missing rows reread row 0 and are not stored; each element sums
     * as in the other kernels.
     */
    static void multiplyFewRows(int kc, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        int r1 = rows > 1 ? 1 : 0;
        int r2 = rows > 2 ? 2 : 0;
        int r3 = rows > 3 ? 3 : 0;
        int r4 = rows > 4 ? 4 : 0;
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F);
        FloatVector c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F);
        FloatVector c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F);
        FloatVector c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F);
        FloatVector c41 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * ldb;
            int ai = a0 + p * lda;
            FloatVector b0v = FloatVector.fromArray(F, b, bi);
            FloatVector b1v = FloatVector.fromArray(F, b, bi + L);
            FloatVector av = FloatVector.broadcast(F, a[ai]);
            c00 = av.fma(b0v, c00);
            c01 = av.fma(b1v, c01);
            av = FloatVector.broadcast(F, a[ai + r1]);
            c10 = av.fma(b0v, c10);
            c11 = av.fma(b1v, c11);
            av = FloatVector.broadcast(F, a[ai + r2]);
            c20 = av.fma(b0v, c20);
            c21 = av.fma(b1v, c21);
            av = FloatVector.broadcast(F, a[ai + r3]);
            c30 = av.fma(b0v, c30);
            c31 = av.fma(b1v, c31);
            av = FloatVector.broadcast(F, a[ai + r4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
        }
        addTo(c, c0, cols, edge, store, c00, c01);
        if (rows > 1) {
            addTo(c, c0 + ldc, cols, edge, store, c10, c11);
        }
        if (rows > 2) {
            addTo(c, c0 + 2 * ldc, cols, edge, store, c20, c21);
        }
        if (rows > 3) {
            addTo(c, c0 + 3 * ldc, cols, edge, store, c30, c31);
        }
        if (rows > 4) {
            addTo(c, c0 + 4 * ldc, cols, edge, store, c40, c41);
        }
    }

    /**
     * Adds two vectors to a row of C, of which only the first {@code cols} columns exist, or
     * with {@code store} writes them over it.
     *
     * <p>The sums are the accumulator plus C, not C plus the accumulator: the same bits, but
     * the receiver's class is then known from the loop's vector operations. Where this method
     * was compiled without a profile (tier 2, when C2 is busy) and its add had not run, C2 did
     * not know the class of a vector loaded from C, left the add a virtual call, and boxed
     * the vectors of every tile for the rest of the run, 8× slower
     * (docs/performance-training.md).
     */
    private static void addTo(float[] c, int at, int cols, float[] edge, boolean store, FloatVector lo, FloatVector hi) {
        if (cols == NR) {
            (store ? lo : lo.add(FloatVector.fromArray(F, c, at))).intoArray(c, at);
            (store ? hi : hi.add(FloatVector.fromArray(F, c, at + L))).intoArray(c, at + L);
        } else {
            lo.intoArray(edge, 0);
            hi.intoArray(edge, L);
            addEdge(c, at, cols, edge, store);
        }
    }

    /** As the two-vector {@code addTo}, for one vector. */
    private static void addTo(float[] c, int at, int cols, float[] edge, boolean store, FloatVector v) {
        if (cols == L) {
            (store ? v : v.add(FloatVector.fromArray(F, c, at))).intoArray(c, at);
        } else {
            v.intoArray(edge, 0);
            addEdge(c, at, cols, edge, store);
        }
    }

    /** Masked stores are slow on AVX2, so partial rows go through scratch. */
    private static void addEdge(float[] c, int at, int cols, float[] edge, boolean store) {
        for (int j = 0; j < cols; j++) {
            c[at + j] = store ? edge[j] : c[at + j] + edge[j];
        }
    }
}
