package dev.autodiff.simd;

import static dev.autodiff.simd.LaneSums.sum;
import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The core of {@link Gemm}'s unpacked A·Bᵀ: when both operands are row-major along the
 * shared dimension, a {@value #TILE}×{@value #TILE} tile of C is sixteen dot products of
 * rows of A with rows of B. Sixteen vector accumulators run along the shared dimension
 * (eight loads feed sixteen FMAs per step) and each is reduced across its lanes once, at
 * the end of the tile. Nothing is packed, which is what pays when A has few rows: packing
 * Bᵀ is a transposition of all of B for every call, however few rows of A then use it.
 */
final class RowDotKernel {
    private RowDotKernel() {}

    static final int TILE = 4;
    private static final int L = F.length();
    /** A quarter of the lanes: where a row's folds leave column c's sum, at lane c·Q. */
    private static final int Q = L / 4;
    private static final VectorMask<Float> UPPER_HALF = LaneSums.upper(F, L / 2);
    private static final VectorShuffle<Float> SWAP_HALVES = LaneSums.swap(F, L / 2);
    private static final VectorMask<Float> ODD_QUARTERS = LaneSums.upper(F, Q);
    private static final VectorShuffle<Float> SWAP_QUARTERS = LaneSums.swap(F, Q);
    private static final VectorShuffle<Float> SWAP_2 = LaneSums.swap(F, 2);
    private static final VectorShuffle<Float> SWAP_1 = LaneSums.swap(F, 1);
    private static final VectorMask<Float> ODD_EIGHTHS = LaneSums.upper(F, 2);
    private static final VectorMask<Float> ODD_LANES = LaneSums.upper(F, 1);
    /** Lanes {@code [4i, 4i + 4)}: row i of a 4×4 tile folded into one 16-lane vector (fields, so C2 sees constants). */
    private static final VectorMask<Float> TILE_ROW_0 = tileRow(0);
    private static final VectorMask<Float> TILE_ROW_1 = tileRow(1);
    private static final VectorMask<Float> TILE_ROW_2 = tileRow(2);
    private static final VectorMask<Float> TILE_ROW_3 = tileRow(3);

    /**
     * {@code C[i][j] += Σ_p A[i][p]·B[j][p]} for the {@code rows}×{@code cols} tile (both at
     * most {@value #TILE}) whose first A row starts at {@code a0}, first B row at {@code b0},
     * and first C element at {@code c0}. Missing rows of either operand reread the first
     * and are not stored; with {@code overwrite} the sums replace C instead. Lane {@code l} of
     * an accumulator sums {@code A[i][p]·B[j][p]} for {@code p ≡ l (mod L)} in order, by FMA;
     * the lanes add up in {@link LaneSums}' order; the elements past the last whole vector
     * follow one by one, by FMA; then C is added. No step depends on the JIT tier or the
     * thread count. Vectors of 16 lanes go to {@link #multiplySixteenLanes}.
     */
    static void multiply(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                         float[] c, int c0, int ldc, int rows, int cols, boolean overwrite) {
        if (L == 16) {
            multiplySixteenLanes(k, a, a0, lda, b, b0, ldb, c, c0, ldc, rows, cols, overwrite);
            return;
        }
        int a1 = rows > 1 ? a0 + lda : a0;
        int a2 = rows > 2 ? a0 + 2 * lda : a0;
        int a3 = rows > 3 ? a0 + 3 * lda : a0;
        int b1 = cols > 1 ? b0 + ldb : b0;
        int b2 = cols > 2 ? b0 + 2 * ldb : b0;
        int b3 = cols > 3 ? b0 + 3 * ldb : b0;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = FloatVector.zero(F);
        FloatVector s02 = FloatVector.zero(F);
        FloatVector s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F);
        FloatVector s11 = FloatVector.zero(F);
        FloatVector s12 = FloatVector.zero(F);
        FloatVector s13 = FloatVector.zero(F);
        FloatVector s20 = FloatVector.zero(F);
        FloatVector s21 = FloatVector.zero(F);
        FloatVector s22 = FloatVector.zero(F);
        FloatVector s23 = FloatVector.zero(F);
        FloatVector s30 = FloatVector.zero(F);
        FloatVector s31 = FloatVector.zero(F);
        FloatVector s32 = FloatVector.zero(F);
        FloatVector s33 = FloatVector.zero(F);
        int whole = k - k % L;
        for (int p = 0; p < whole; p += L) {
            FloatVector x0 = FloatVector.fromArray(F, b, b0 + p);
            FloatVector x1 = FloatVector.fromArray(F, b, b1 + p);
            FloatVector x2 = FloatVector.fromArray(F, b, b2 + p);
            FloatVector x3 = FloatVector.fromArray(F, b, b3 + p);
            FloatVector y = FloatVector.fromArray(F, a, a0 + p);
            s00 = y.fma(x0, s00);
            s01 = y.fma(x1, s01);
            s02 = y.fma(x2, s02);
            s03 = y.fma(x3, s03);
            y = FloatVector.fromArray(F, a, a1 + p);
            s10 = y.fma(x0, s10);
            s11 = y.fma(x1, s11);
            s12 = y.fma(x2, s12);
            s13 = y.fma(x3, s13);
            y = FloatVector.fromArray(F, a, a2 + p);
            s20 = y.fma(x0, s20);
            s21 = y.fma(x1, s21);
            s22 = y.fma(x2, s22);
            s23 = y.fma(x3, s23);
            y = FloatVector.fromArray(F, a, a3 + p);
            s30 = y.fma(x0, s30);
            s31 = y.fma(x1, s31);
            s32 = y.fma(x2, s32);
            s33 = y.fma(x3, s33);
        }
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        if (L < 4 || L > 8) {
            // vectors of 2 lanes, or wider than 16: each accumulator on its own, in the same order
            store(c, c0, 1, cols, overwrite, a, a0, b, b0, ldb, whole, k, sum(s00), sum(s01), sum(s02), sum(s03));
            if (rows > 1) {
                store(c, c1, 1, cols, overwrite, a, a1, b, b0, ldb, whole, k, sum(s10), sum(s11), sum(s12), sum(s13));
            }
            if (rows > 2) {
                store(c, c2, 1, cols, overwrite, a, a2, b, b0, ldb, whole, k, sum(s20), sum(s21), sum(s22), sum(s23));
            }
            if (rows > 3) {
                store(c, c3, 1, cols, overwrite, a, a3, b, b0, ldb, whole, k, sum(s30), sum(s31), sum(s32), sum(s33));
            }
            return;
        }
        // With 4 or 8 lanes, a row's four accumulators fold together: the halves of two pairs, then the
        // quarters of the two results, so that column c's partial sums fill lanes [c·Q, (c+1)·Q); then each
        // quarter folds on its own, to lane c·Q. Every accumulator's lanes so add up in LaneSums' order, in
        // fewer instructions than four separate folds. Written out: a helper taking vectors would box them
        // whenever C2 declines to inline it, which it does here once the method's node budget is spent.
        FloatVector h0 = s00.blend(s02, UPPER_HALF).add(s02.blend(s00, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector h1 = s01.blend(s03, UPPER_HALF).add(s03.blend(s01, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        if (L >= 8) {
            r = r.add(r.rearrange(SWAP_1));
        }
        store(c, c0, 1, cols, overwrite, a, a0, b, b0, ldb, whole, k, r.lane(0), r.lane(Q), r.lane(2 * Q), r.lane(3 * Q));
        if (rows > 1) {
            h0 = s10.blend(s12, UPPER_HALF).add(s12.blend(s10, UPPER_HALF).rearrange(SWAP_HALVES));
            h1 = s11.blend(s13, UPPER_HALF).add(s13.blend(s11, UPPER_HALF).rearrange(SWAP_HALVES));
            r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
            if (L >= 8) {
                r = r.add(r.rearrange(SWAP_1));
            }
            store(c, c1, 1, cols, overwrite, a, a1, b, b0, ldb, whole, k, r.lane(0), r.lane(Q), r.lane(2 * Q), r.lane(3 * Q));
        }
        if (rows > 2) {
            h0 = s20.blend(s22, UPPER_HALF).add(s22.blend(s20, UPPER_HALF).rearrange(SWAP_HALVES));
            h1 = s21.blend(s23, UPPER_HALF).add(s23.blend(s21, UPPER_HALF).rearrange(SWAP_HALVES));
            r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
            if (L >= 8) {
                r = r.add(r.rearrange(SWAP_1));
            }
            store(c, c2, 1, cols, overwrite, a, a2, b, b0, ldb, whole, k, r.lane(0), r.lane(Q), r.lane(2 * Q), r.lane(3 * Q));
        }
        if (rows > 3) {
            h0 = s30.blend(s32, UPPER_HALF).add(s32.blend(s30, UPPER_HALF).rearrange(SWAP_HALVES));
            h1 = s31.blend(s33, UPPER_HALF).add(s33.blend(s31, UPPER_HALF).rearrange(SWAP_HALVES));
            r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
            if (L >= 8) {
                r = r.add(r.rearrange(SWAP_1));
            }
            store(c, c3, 1, cols, overwrite, a, a3, b, b0, ldb, whole, k, r.lane(0), r.lane(Q), r.lane(2 * Q), r.lane(3 * Q));
        }
    }

    /**
     * {@link #multiply} for vectors of 16 lanes: all sixteen accumulators of the tile fold
     * together, pairs of pairs down to one vector, {@code s_ij} ending in lane {@code 4i + j}.
     * Each still adds up in {@link LaneSums}' order (halves, quarters, eighths, lanes), so
     * the bits are {@link #multiply}'s; a whole tile with no tail then leaves as four masked
     * stores, one per row, where the folds of each row on its own took a quarter more
     * instructions and sixteen lane extractions. A separate method: with both reductions in
     * one, C1 ran out of virtual registers and left the method to the interpreter's speed.
     */
    private static void multiplySixteenLanes(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb,
                                             float[] c, int c0, int ldc, int rows, int cols, boolean overwrite) {
        int a1 = rows > 1 ? a0 + lda : a0;
        int a2 = rows > 2 ? a0 + 2 * lda : a0;
        int a3 = rows > 3 ? a0 + 3 * lda : a0;
        int b1 = cols > 1 ? b0 + ldb : b0;
        int b2 = cols > 2 ? b0 + 2 * ldb : b0;
        int b3 = cols > 3 ? b0 + 3 * ldb : b0;
        FloatVector s00 = FloatVector.zero(F);
        FloatVector s01 = FloatVector.zero(F);
        FloatVector s02 = FloatVector.zero(F);
        FloatVector s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F);
        FloatVector s11 = FloatVector.zero(F);
        FloatVector s12 = FloatVector.zero(F);
        FloatVector s13 = FloatVector.zero(F);
        FloatVector s20 = FloatVector.zero(F);
        FloatVector s21 = FloatVector.zero(F);
        FloatVector s22 = FloatVector.zero(F);
        FloatVector s23 = FloatVector.zero(F);
        FloatVector s30 = FloatVector.zero(F);
        FloatVector s31 = FloatVector.zero(F);
        FloatVector s32 = FloatVector.zero(F);
        FloatVector s33 = FloatVector.zero(F);
        int whole = k - k % L;
        for (int p = 0; p < whole; p += L) {
            FloatVector x0 = FloatVector.fromArray(F, b, b0 + p);
            FloatVector x1 = FloatVector.fromArray(F, b, b1 + p);
            FloatVector x2 = FloatVector.fromArray(F, b, b2 + p);
            FloatVector x3 = FloatVector.fromArray(F, b, b3 + p);
            FloatVector y = FloatVector.fromArray(F, a, a0 + p);
            s00 = y.fma(x0, s00);
            s01 = y.fma(x1, s01);
            s02 = y.fma(x2, s02);
            s03 = y.fma(x3, s03);
            y = FloatVector.fromArray(F, a, a1 + p);
            s10 = y.fma(x0, s10);
            s11 = y.fma(x1, s11);
            s12 = y.fma(x2, s12);
            s13 = y.fma(x3, s13);
            y = FloatVector.fromArray(F, a, a2 + p);
            s20 = y.fma(x0, s20);
            s21 = y.fma(x1, s21);
            s22 = y.fma(x2, s22);
            s23 = y.fma(x3, s23);
            y = FloatVector.fromArray(F, a, a3 + p);
            s30 = y.fma(x0, s30);
            s31 = y.fma(x1, s31);
            s32 = y.fma(x2, s32);
            s33 = y.fma(x3, s33);
        }
        int c1 = c0 + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector z0 = s00.blend(s20, UPPER_HALF).add(s20.blend(s00, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z1 = s01.blend(s21, UPPER_HALF).add(s21.blend(s01, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z2 = s02.blend(s22, UPPER_HALF).add(s22.blend(s02, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z3 = s03.blend(s23, UPPER_HALF).add(s23.blend(s03, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z4 = s10.blend(s30, UPPER_HALF).add(s30.blend(s10, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z5 = s11.blend(s31, UPPER_HALF).add(s31.blend(s11, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z6 = s12.blend(s32, UPPER_HALF).add(s32.blend(s12, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector z7 = s13.blend(s33, UPPER_HALF).add(s33.blend(s13, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector w0 = z0.blend(z4, ODD_QUARTERS).add(z4.blend(z0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        FloatVector w1 = z1.blend(z5, ODD_QUARTERS).add(z5.blend(z1, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        FloatVector w2 = z2.blend(z6, ODD_QUARTERS).add(z6.blend(z2, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        FloatVector w3 = z3.blend(z7, ODD_QUARTERS).add(z7.blend(z3, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        FloatVector u0 = w0.blend(w2, ODD_EIGHTHS).add(w2.blend(w0, ODD_EIGHTHS).rearrange(SWAP_2));
        FloatVector u1 = w1.blend(w3, ODD_EIGHTHS).add(w3.blend(w1, ODD_EIGHTHS).rearrange(SWAP_2));
        FloatVector tile = u0.blend(u1, ODD_LANES).add(u1.blend(u0, ODD_LANES).rearrange(SWAP_1));
        if (rows == TILE && cols == TILE && whole == k) {
            // as in store: the sum, then C, or +0 (which turns a -0 sum into +0, as the scalar path does)
            FloatVector zero = FloatVector.zero(F);
            tile.add(overwrite ? zero : FloatVector.fromArray(F, c, c0, TILE_ROW_0)).intoArray(c, c0, TILE_ROW_0);
            tile.add(overwrite ? zero : FloatVector.fromArray(F, c, c1 - 4, TILE_ROW_1)).intoArray(c, c1 - 4, TILE_ROW_1);
            tile.add(overwrite ? zero : FloatVector.fromArray(F, c, c2 - 8, TILE_ROW_2)).intoArray(c, c2 - 8, TILE_ROW_2);
            tile.add(overwrite ? zero : FloatVector.fromArray(F, c, c3 - 12, TILE_ROW_3)).intoArray(c, c3 - 12, TILE_ROW_3);
            return;
        }
        store(c, c0, 1, cols, overwrite, a, a0, b, b0, ldb, whole, k, tile.lane(0), tile.lane(1), tile.lane(2), tile.lane(3));
        if (rows > 1) {
            store(c, c1, 1, cols, overwrite, a, a1, b, b0, ldb, whole, k, tile.lane(4), tile.lane(5), tile.lane(6), tile.lane(7));
        }
        if (rows > 2) {
            store(c, c2, 1, cols, overwrite, a, a2, b, b0, ldb, whole, k, tile.lane(8), tile.lane(9), tile.lane(10), tile.lane(11));
        }
        if (rows > 3) {
            store(c, c3, 1, cols, overwrite, a, a3, b, b0, ldb, whole, k, tile.lane(12), tile.lane(13), tile.lane(14),
                    tile.lane(15));
        }
    }

    /** The columns of C {@link #multiplyRow} computes at once. */
    static final int ROW_TILE = 8;

    /**
     * {@link #multiply} for A of one row, {@value #ROW_TILE} columns at a time: a
     * matrix-vector product (a linear layer on one sample). A 4×4 tile would spend three of
     * its four rows on copies of the one row; here each step loads the row once and eight
     * rows of B, and runs eight useful FMAs. Each element sums exactly as in
     * {@link #multiply}: by FMA along its lanes, the lanes in {@link LaneSums}' order, then the
     * tail by FMA, then C. Column {@code c} of the result goes to {@code c0 + c·cStride}; with
     * the roles of A and B swapped, a column of C is one row of B times rows of A, in the same
     * bits, since each product is the same whichever operand comes first.
     */
    static void multiplyRow(int k, float[] a, int a0, float[] b, int b0, int ldb, float[] c, int c0, int cStride,
                            int cols, boolean overwrite) {
        int b1 = cols > 1 ? b0 + ldb : b0;
        int b2 = cols > 2 ? b0 + 2 * ldb : b0;
        int b3 = cols > 3 ? b0 + 3 * ldb : b0;
        int b4 = cols > 4 ? b0 + 4 * ldb : b0;
        int b5 = cols > 5 ? b0 + 5 * ldb : b0;
        int b6 = cols > 6 ? b0 + 6 * ldb : b0;
        int b7 = cols > 7 ? b0 + 7 * ldb : b0;
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        FloatVector s4 = FloatVector.zero(F);
        FloatVector s5 = FloatVector.zero(F);
        FloatVector s6 = FloatVector.zero(F);
        FloatVector s7 = FloatVector.zero(F);
        int whole = k - k % L;
        for (int p = 0; p < whole; p += L) {
            FloatVector y = FloatVector.fromArray(F, a, a0 + p);
            s0 = y.fma(FloatVector.fromArray(F, b, b0 + p), s0);
            s1 = y.fma(FloatVector.fromArray(F, b, b1 + p), s1);
            s2 = y.fma(FloatVector.fromArray(F, b, b2 + p), s2);
            s3 = y.fma(FloatVector.fromArray(F, b, b3 + p), s3);
            s4 = y.fma(FloatVector.fromArray(F, b, b4 + p), s4);
            s5 = y.fma(FloatVector.fromArray(F, b, b5 + p), s5);
            s6 = y.fma(FloatVector.fromArray(F, b, b6 + p), s6);
            s7 = y.fma(FloatVector.fromArray(F, b, b7 + p), s7);
        }
        if (L < 4 || L > 16) {
            store(c, c0, cStride, Math.min(cols, 4), overwrite, a, a0, b, b0, ldb, whole, k, sum(s0), sum(s1), sum(s2), sum(s3));
            if (cols > 4) {
                store(c, c0 + 4 * cStride, cStride, cols - 4, overwrite, a, a0, b, b4, ldb, whole, k, sum(s4), sum(s5), sum(s6),
                        sum(s7));
            }
            return;
        }
        // four accumulators fold together as in multiply: eight calls of LaneSums.sum exceed what C2 inlines
        FloatVector h0 = s0.blend(s2, UPPER_HALF).add(s2.blend(s0, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector h1 = s1.blend(s3, UPPER_HALF).add(s3.blend(s1, UPPER_HALF).rearrange(SWAP_HALVES));
        FloatVector r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
        if (L >= 16) {
            r = r.add(r.rearrange(SWAP_2));
        }
        if (L >= 8) {
            r = r.add(r.rearrange(SWAP_1));
        }
        store(c, c0, cStride, Math.min(cols, 4), overwrite, a, a0, b, b0, ldb, whole, k, r.lane(0), r.lane(Q),
                r.lane(2 * Q), r.lane(3 * Q));
        if (cols > 4) {
            h0 = s4.blend(s6, UPPER_HALF).add(s6.blend(s4, UPPER_HALF).rearrange(SWAP_HALVES));
            h1 = s5.blend(s7, UPPER_HALF).add(s7.blend(s5, UPPER_HALF).rearrange(SWAP_HALVES));
            r = h0.blend(h1, ODD_QUARTERS).add(h1.blend(h0, ODD_QUARTERS).rearrange(SWAP_QUARTERS));
            if (L >= 16) {
                r = r.add(r.rearrange(SWAP_2));
            }
            if (L >= 8) {
                r = r.add(r.rearrange(SWAP_1));
            }
            store(c, c0 + 4 * cStride, cStride, cols - 4, overwrite, a, a0, b, b4, ldb, whole, k, r.lane(0), r.lane(Q),
                    r.lane(2 * Q), r.lane(3 * Q));
        }
    }

    /**
     * Adds one row of the tile to C: the accumulators' lane sums, each completed by its
     * scalar tail. The sums arrive as floats: vectors passed to a call C2 does not inline
     * would be boxed.
     */
    private static void store(float[] c, int at, int step, int cols, boolean overwrite, float[] a, int ai, float[] b,
                              int b0, int ldb, int whole, int k, float v0, float v1, float v2, float v3) {
        c[at] = finish(v0, a, ai, b, b0, whole, k) + (overwrite ? 0f : c[at]);
        if (cols > 1) {
            int at1 = at + step;
            c[at1] = finish(v1, a, ai, b, b0 + ldb, whole, k) + (overwrite ? 0f : c[at1]);
        }
        if (cols > 2) {
            int at2 = at + 2 * step;
            c[at2] = finish(v2, a, ai, b, b0 + 2 * ldb, whole, k) + (overwrite ? 0f : c[at2]);
        }
        if (cols > 3) {
            int at3 = at + 3 * step;
            c[at3] = finish(v3, a, ai, b, b0 + 3 * ldb, whole, k) + (overwrite ? 0f : c[at3]);
        }
    }
    private static float finish(float sum, float[] a, int ai, float[] b, int bj, int from, int k) {
        for (int p = from; p < k; p++) {
            sum = Math.fma(a[ai + p], b[bj + p], sum);
        }
        return sum;
    }

    private static VectorMask<Float> tileRow(int i) {
        boolean[] bits = new boolean[L];
        for (int l = 0; l < L; l++) {
            bits[l] = l / TILE == i;
        }
        return VectorMask.fromArray(F, bits, 0);
    }
}
