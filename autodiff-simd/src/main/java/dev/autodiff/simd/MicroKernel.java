package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The register-blocked core of {@link Gemm}: an {@link #MR}-row by two-vector tile of C
 * kept in accumulators while the shared dimension runs, then added to C once, and an
 * {@value #NARROW_MR}-row by one-vector tile for panels one vector wide (outputs with few
 * columns, such as a classifier's 10, and the last 16 of a 784-wide weight gradient,
 * would waste half or more of a two-vector panel). A row comes from a row-major block of
 * A (the operand itself, or a packed copy when A is transposed); B comes from a packed
 * panel, {@link #NR} floats per step of the shared dimension.
 *
 * <p>The tile has eight rows where vectors are 512 bits wide: AVX-512 has 32 registers for
 * its sixteen accumulators, and a core with two 512-bit FMA pipes (Zen 5) needs more than
 * eight multiply-adds in flight to cover their four-cycle latency (eight rows ran 250–258
 * GFLOPS of its 262, four rows 210–222). With narrower vectors it has four rows: AVX2 has
 * 16 registers, which eight accumulators, two panel vectors and a broadcast nearly fill.
 */
final class MicroKernel {
    private MicroKernel() {}

    private static final int L = F.length();
    /** The rows of the two-vector tile (see the class comment). */
    static final int MR = L >= 16 ? 8 : 4;
    /** The width of a B panel: two vectors. */
    static final int NR = 2 * L;
    /** The floats of scratch a caller passes as {@code edge}: one whole tile. */
    static final int SCRATCH = MR * NR;
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
     * The panel is zero beyond {@code cols}; partial rows go through {@code edge}
     * ({@link #SCRATCH} floats), as masked stores are slow on AVX2. With {@code store} the
     * product replaces C instead of adding to it.
     */
    static void multiply(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                         float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        if (MR == 8) {
            multiplyEightRows(kc, a, a0, lda, bp, b0, c, c0, ldc, rows, cols, edge, store);
        } else {
            multiplyFourRows(kc, a, a0, lda, bp, b0, c, c0, ldc, rows, cols, edge, store);
        }
    }

    /**
     * As {@link #multiply}, with A packed in steps of the shared dimension: element (r, p) of
     * the block at {@code ap[a0 + p·MR + r]}. A transposed operand packs into this layout by
     * copying runs of MR floats, where a row-major copy would be a slow transposition.
     */
    static void multiplyPackedA(int kc, float[] ap, int a0, float[] bp, int b0,
                                float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        if (MR == 8) {
            multiplyPackedAEightRows(kc, ap, a0, bp, b0, c, c0, ldc, rows, cols, edge, store);
        } else {
            multiplyPackedAFourRows(kc, ap, a0, bp, b0, c, c0, ldc, rows, cols, edge, store);
        }
    }

    /** {@link #multiply} with four rows. */
    private static void multiplyFourRows(int kc, float[] a, int a0, int lda, float[] bp, int b0,
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
     * {@link #multiplyPackedA} with four rows. The loop repeats {@link #multiplyFourRows}'s
     * because the index must stay linear in p with constant strides for C2 to drop the bounds
     * checks, and the stores repeat too: a helper taking the eight accumulators, if C2
     * declines to inline it, boxes them on every step.
     */
    private static void multiplyPackedAFourRows(int kc, float[] ap, int a0, float[] bp, int b0,
                                                float[] c, int c0, int ldc, int rows, int cols, float[] edge,
                                                boolean store) {
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
     * {@link #multiply} with eight rows. The sixteen accumulators start from one zero vector,
     * and a whole tile's are added to C in line; a partial tile's leave through {@code tile},
     * whose rows a plain loop adds to C ({@link #addTile}). With sixteen zero vectors of their
     * own, or a store helper called per row that C2 did not inline, C2 kept the accumulators
     * boxed and the kernel ran at 30–40 GFLOPS; through {@code tile} every time, a product
     * with a shared dimension of 64 lost a third of its speed.
     */
    private static void multiplyEightRows(int kc, float[] a, int a0, int lda, float[] bp, int b0,
                                          float[] c, int c0, int ldc, int rows, int cols, float[] tile,
                                          boolean store) {
        int a1 = rows > 1 ? a0 + lda : a0;
        int a2 = rows > 2 ? a0 + 2 * lda : a0;
        int a3 = rows > 3 ? a0 + 3 * lda : a0;
        int a4 = rows > 4 ? a0 + 4 * lda : a0;
        int a5 = rows > 5 ? a0 + 5 * lda : a0;
        int a6 = rows > 6 ? a0 + 6 * lda : a0;
        int a7 = rows > 7 ? a0 + 7 * lda : a0;
        FloatVector zero = FloatVector.zero(F);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
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
            av = FloatVector.broadcast(F, a[a4 + p]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(F, a[a5 + p]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(F, a[a6 + p]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(F, a[a7 + p]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        if (rows == 8 && cols == NR) {
            // a whole tile goes straight to C, written out: a helper per row boxes where C2 does not inline it
            int at1 = c0 + ldc;
            int at2 = c0 + 2 * ldc;
            int at3 = c0 + 3 * ldc;
            int at4 = c0 + 4 * ldc;
            int at5 = c0 + 5 * ldc;
            int at6 = c0 + 6 * ldc;
            int at7 = c0 + 7 * ldc;
            (store ? c00 : c00.add(FloatVector.fromArray(F, c, c0))).intoArray(c, c0);
            (store ? c01 : c01.add(FloatVector.fromArray(F, c, c0 + L))).intoArray(c, c0 + L);
            (store ? c10 : c10.add(FloatVector.fromArray(F, c, at1))).intoArray(c, at1);
            (store ? c11 : c11.add(FloatVector.fromArray(F, c, at1 + L))).intoArray(c, at1 + L);
            (store ? c20 : c20.add(FloatVector.fromArray(F, c, at2))).intoArray(c, at2);
            (store ? c21 : c21.add(FloatVector.fromArray(F, c, at2 + L))).intoArray(c, at2 + L);
            (store ? c30 : c30.add(FloatVector.fromArray(F, c, at3))).intoArray(c, at3);
            (store ? c31 : c31.add(FloatVector.fromArray(F, c, at3 + L))).intoArray(c, at3 + L);
            (store ? c40 : c40.add(FloatVector.fromArray(F, c, at4))).intoArray(c, at4);
            (store ? c41 : c41.add(FloatVector.fromArray(F, c, at4 + L))).intoArray(c, at4 + L);
            (store ? c50 : c50.add(FloatVector.fromArray(F, c, at5))).intoArray(c, at5);
            (store ? c51 : c51.add(FloatVector.fromArray(F, c, at5 + L))).intoArray(c, at5 + L);
            (store ? c60 : c60.add(FloatVector.fromArray(F, c, at6))).intoArray(c, at6);
            (store ? c61 : c61.add(FloatVector.fromArray(F, c, at6 + L))).intoArray(c, at6 + L);
            (store ? c70 : c70.add(FloatVector.fromArray(F, c, at7))).intoArray(c, at7);
            (store ? c71 : c71.add(FloatVector.fromArray(F, c, at7 + L))).intoArray(c, at7 + L);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        addTile(tile, c, c0, ldc, rows, cols, store);
    }

    /**
     * {@link #multiplyPackedA} with eight rows, as {@link #multiplyEightRows}. Its loop and its
     * stores repeat that kernel's for the reasons the four-row pair repeats them
     * ({@link #multiplyPackedAFourRows}): a constant stride for the bounds checks, and no
     * helper that takes the accumulators.
     */
    private static void multiplyPackedAEightRows(int kc, float[] ap, int a0, float[] bp, int b0,
                                                 float[] c, int c0, int ldc, int rows, int cols, float[] tile,
                                                 boolean store) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
        FloatVector c40 = zero, c41 = zero, c50 = zero, c51 = zero, c60 = zero, c61 = zero, c70 = zero, c71 = zero;
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * NR;
            int ai = a0 + p * 8;
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
            av = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = av.fma(b0v, c40);
            c41 = av.fma(b1v, c41);
            av = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = av.fma(b0v, c50);
            c51 = av.fma(b1v, c51);
            av = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = av.fma(b0v, c60);
            c61 = av.fma(b1v, c61);
            av = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = av.fma(b0v, c70);
            c71 = av.fma(b1v, c71);
        }
        if (rows == 8 && cols == NR) {
            // a whole tile goes straight to C, written out: a helper per row boxes where C2 does not inline it
            int at1 = c0 + ldc;
            int at2 = c0 + 2 * ldc;
            int at3 = c0 + 3 * ldc;
            int at4 = c0 + 4 * ldc;
            int at5 = c0 + 5 * ldc;
            int at6 = c0 + 6 * ldc;
            int at7 = c0 + 7 * ldc;
            (store ? c00 : c00.add(FloatVector.fromArray(F, c, c0))).intoArray(c, c0);
            (store ? c01 : c01.add(FloatVector.fromArray(F, c, c0 + L))).intoArray(c, c0 + L);
            (store ? c10 : c10.add(FloatVector.fromArray(F, c, at1))).intoArray(c, at1);
            (store ? c11 : c11.add(FloatVector.fromArray(F, c, at1 + L))).intoArray(c, at1 + L);
            (store ? c20 : c20.add(FloatVector.fromArray(F, c, at2))).intoArray(c, at2);
            (store ? c21 : c21.add(FloatVector.fromArray(F, c, at2 + L))).intoArray(c, at2 + L);
            (store ? c30 : c30.add(FloatVector.fromArray(F, c, at3))).intoArray(c, at3);
            (store ? c31 : c31.add(FloatVector.fromArray(F, c, at3 + L))).intoArray(c, at3 + L);
            (store ? c40 : c40.add(FloatVector.fromArray(F, c, at4))).intoArray(c, at4);
            (store ? c41 : c41.add(FloatVector.fromArray(F, c, at4 + L))).intoArray(c, at4 + L);
            (store ? c50 : c50.add(FloatVector.fromArray(F, c, at5))).intoArray(c, at5);
            (store ? c51 : c51.add(FloatVector.fromArray(F, c, at5 + L))).intoArray(c, at5 + L);
            (store ? c60 : c60.add(FloatVector.fromArray(F, c, at6))).intoArray(c, at6);
            (store ? c61 : c61.add(FloatVector.fromArray(F, c, at6 + L))).intoArray(c, at6 + L);
            (store ? c70 : c70.add(FloatVector.fromArray(F, c, at7))).intoArray(c, at7);
            (store ? c71 : c71.add(FloatVector.fromArray(F, c, at7 + L))).intoArray(c, at7 + L);
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        addTile(tile, c, c0, ldc, rows, cols, store);
    }

    /**
     * Adds the first {@code cols} columns of the first {@code rows} rows of {@code tile}
     * ({@link #NR} floats a row) to C, or with {@code store} writes them over it. Plain
     * loops, which C2 vectorizes, and no vector arguments, so nothing is boxed where C2 does
     * not inline it. Each sum is the accumulator plus C, as in {@link #addTo}.
     */
    private static void addTile(float[] tile, float[] c, int c0, int ldc, int rows, int cols, boolean store) {
        for (int r = 0; r < rows; r++) {
            int t = r * NR;
            int at = c0 + r * ldc;
            if (store) {
                System.arraycopy(tile, t, c, at, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[at + j] = tile[t + j] + c[at + j];
                }
            }
        }
    }

    /**
     * As {@link #multiplyPackedA} for a panel one vector wide ({@code cols <= L}): eight rows
     * at a time, so that eight accumulators keep the FMA pipes busy. With four-row
     * micro-panels that is two of them, the second at {@code a0 + MR·kc} (with {@code MR} rows
     * or fewer the first is read twice and the copy is not stored); with eight-row ones, one.
     * Each element sums as in the wide kernel, so the bits do not depend on the panel's width.
     */
    static void multiplyPackedANarrow(int kc, float[] ap, int a0, float[] bp, int b0,
                                      float[] c, int c0, int ldc, int rows, int cols, float[] edge, boolean store) {
        // where rows 4 to 7 start: in the same micro-panel when it has eight rows
        int a1 = MR == 8 ? a0 + 4 : rows > MR ? a0 + MR * kc : a0;
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

    /** Columns of C per {@link #multiplyRowEightVectors}: eight accumulators fill both FMA pipes. */
    static final int ROW_BLOCK = 8 * L;

    /**
     * One row of A times B as stored, over {@link #ROW_BLOCK} columns: {@code c[c0 + j] = s_j},
     * or {@code s_j + c[c0 + j]} without {@code store}, where {@code s_j} is
     * {@code Σ a[a0 + p]·b[b0 + p·ldb + j]} over {@code p < kc}, summed in p order from zero by
     * multiply-adds, as the packed kernels sum: the bits of that row of a taller product. B is
     * read as stored, a row of the block at a time, where packing it would cost more than the
     * product.
     */
    static void multiplyRowEightVectors(int kc, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0,
                                        boolean store) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        FloatVector s2 = zero;
        FloatVector s3 = zero;
        FloatVector s4 = zero;
        FloatVector s5 = zero;
        FloatVector s6 = zero;
        FloatVector s7 = zero;
        for (int p = 0; p < kc; p++) {
            int bi = b0 + p * ldb;
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            s0 = av.fma(FloatVector.fromArray(F, b, bi), s0);
            s1 = av.fma(FloatVector.fromArray(F, b, bi + L), s1);
            s2 = av.fma(FloatVector.fromArray(F, b, bi + 2 * L), s2);
            s3 = av.fma(FloatVector.fromArray(F, b, bi + 3 * L), s3);
            s4 = av.fma(FloatVector.fromArray(F, b, bi + 4 * L), s4);
            s5 = av.fma(FloatVector.fromArray(F, b, bi + 5 * L), s5);
            s6 = av.fma(FloatVector.fromArray(F, b, bi + 6 * L), s6);
            s7 = av.fma(FloatVector.fromArray(F, b, bi + 7 * L), s7);
        }
        // written out, as the tiles' stores: a helper taking the accumulators boxes them
        if (store) {
            s0.intoArray(c, c0);
            s1.intoArray(c, c0 + L);
            s2.intoArray(c, c0 + 2 * L);
            s3.intoArray(c, c0 + 3 * L);
            s4.intoArray(c, c0 + 4 * L);
            s5.intoArray(c, c0 + 5 * L);
            s6.intoArray(c, c0 + 6 * L);
            s7.intoArray(c, c0 + 7 * L);
        } else {
            s0.add(FloatVector.fromArray(F, c, c0)).intoArray(c, c0);
            s1.add(FloatVector.fromArray(F, c, c0 + L)).intoArray(c, c0 + L);
            s2.add(FloatVector.fromArray(F, c, c0 + 2 * L)).intoArray(c, c0 + 2 * L);
            s3.add(FloatVector.fromArray(F, c, c0 + 3 * L)).intoArray(c, c0 + 3 * L);
            s4.add(FloatVector.fromArray(F, c, c0 + 4 * L)).intoArray(c, c0 + 4 * L);
            s5.add(FloatVector.fromArray(F, c, c0 + 5 * L)).intoArray(c, c0 + 5 * L);
            s6.add(FloatVector.fromArray(F, c, c0 + 6 * L)).intoArray(c, c0 + 6 * L);
            s7.add(FloatVector.fromArray(F, c, c0 + 7 * L)).intoArray(c, c0 + 7 * L);
        }
    }

    /**
     * {@link #multiplyRowEightVectors} over fewer columns, {@code cols} below {@link #ROW_BLOCK}:
     * a vector of them at a time, the last one masked. Only the columns past the last whole
     * block take it, so its single chain of multiply-adds per vector costs little.
     */
    static void multiplyRowVectors(int kc, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0,
                                   int cols, boolean store) {
        for (int j = 0; j < cols; j += L) {
            VectorMask<Float> lanes = F.indexInRange(j, cols);
            FloatVector s = FloatVector.zero(F);
            for (int p = 0; p < kc; p++) {
                s = FloatVector.broadcast(F, a[a0 + p]).fma(FloatVector.fromArray(F, b, b0 + p * ldb + j, lanes), s);
            }
            if (store) {
                s.intoArray(c, c0 + j, lanes);
            } else {
                s.add(FloatVector.fromArray(F, c, c0 + j, lanes)).intoArray(c, c0 + j, lanes);
            }
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
