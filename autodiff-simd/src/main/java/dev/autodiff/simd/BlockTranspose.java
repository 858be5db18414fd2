package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * Transposes 16×16 blocks of floats in registers, for packing a transposed B
 * ({@link GemmPacking#packB}): sixteen rows are loaded as vectors, and four rounds of
 * two-source lane selections ({@code selectFrom}, one AVX-512 {@code vpermt2ps} each) turn
 * them into sixteen columns, stored as rows. Element by element the same copy ran at
 * 0.66 ns per float, four to five times slower, because each of sixteen consecutive
 * stores went to a different cache line.
 *
 * <p>Round {@code b} (8, 4, 2, 1) pairs rows {@code r} and {@code r + b} ({@code r} with
 * bit {@code b} clear) and makes {@code r' = [r[c] where c & b == 0, else (r+b)[c - b]]} and
 * {@code (r+b)' = [r[c + b] where c & b == 0, else (r+b)[c]]}: after the four rounds row
 * {@code r} holds column {@code r}. Only for 16-lane vectors ({@link #APPLIES}); other
 * widths copy element by element.
 */
final class BlockTranspose {
    private BlockTranspose() {}

    static final int SIZE = 16;
    /** Whether the vectors have 16 lanes, the block size this transposition is written for. */
    static final boolean APPLIES = F.length() == SIZE;

    /** Lane selections of each round for the lower row of a pair, then for the upper (indices of {@code selectFrom}). */
    private static final float[] LOWER = new float[4 * SIZE];
    private static final float[] UPPER = new float[4 * SIZE];

    static {
        for (int round = 0, b = SIZE / 2; b >= 1; round++, b /= 2) {
            for (int c = 0; c < SIZE; c++) {
                boolean clear = (c & b) == 0;
                LOWER[round * SIZE + c] = clear ? c : SIZE + c - b;
                UPPER[round * SIZE + c] = clear ? c + b : SIZE + c;
            }
        }
    }

    /**
     * Writes the transpose of the 16×16 block at {@code src[s..]} (rows {@code ld} apart) to
     * {@code dst[d..]} (rows {@code width} apart): {@code dst[d + c·width + r] = src[s + r·ld + c]}.
     */
    static void transpose(float[] src, int s, int ld, float[] dst, int d, int width) {
        FloatVector r0 = FloatVector.fromArray(F, src, s);
        FloatVector r1 = FloatVector.fromArray(F, src, s + ld);
        FloatVector r2 = FloatVector.fromArray(F, src, s + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(F, src, s + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(F, src, s + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(F, src, s + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(F, src, s + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(F, src, s + 7 * ld);
        FloatVector r8 = FloatVector.fromArray(F, src, s + 8 * ld);
        FloatVector r9 = FloatVector.fromArray(F, src, s + 9 * ld);
        FloatVector r10 = FloatVector.fromArray(F, src, s + 10 * ld);
        FloatVector r11 = FloatVector.fromArray(F, src, s + 11 * ld);
        FloatVector r12 = FloatVector.fromArray(F, src, s + 12 * ld);
        FloatVector r13 = FloatVector.fromArray(F, src, s + 13 * ld);
        FloatVector r14 = FloatVector.fromArray(F, src, s + 14 * ld);
        FloatVector r15 = FloatVector.fromArray(F, src, s + 15 * ld);
        // Written out, with the selections in locals: a helper taking vectors boxes them when C2 does not inline it.
        FloatVector lo = FloatVector.fromArray(F, LOWER, 0);
        FloatVector hi = FloatVector.fromArray(F, UPPER, 0);
        FloatVector t0 = lo.selectFrom(r0, r8);
        FloatVector t8 = hi.selectFrom(r0, r8);
        FloatVector t1 = lo.selectFrom(r1, r9);
        FloatVector t9 = hi.selectFrom(r1, r9);
        FloatVector t2 = lo.selectFrom(r2, r10);
        FloatVector t10 = hi.selectFrom(r2, r10);
        FloatVector t3 = lo.selectFrom(r3, r11);
        FloatVector t11 = hi.selectFrom(r3, r11);
        FloatVector t4 = lo.selectFrom(r4, r12);
        FloatVector t12 = hi.selectFrom(r4, r12);
        FloatVector t5 = lo.selectFrom(r5, r13);
        FloatVector t13 = hi.selectFrom(r5, r13);
        FloatVector t6 = lo.selectFrom(r6, r14);
        FloatVector t14 = hi.selectFrom(r6, r14);
        FloatVector t7 = lo.selectFrom(r7, r15);
        FloatVector t15 = hi.selectFrom(r7, r15);
        lo = FloatVector.fromArray(F, LOWER, SIZE);
        hi = FloatVector.fromArray(F, UPPER, SIZE);
        r0 = lo.selectFrom(t0, t4);
        r4 = hi.selectFrom(t0, t4);
        r1 = lo.selectFrom(t1, t5);
        r5 = hi.selectFrom(t1, t5);
        r2 = lo.selectFrom(t2, t6);
        r6 = hi.selectFrom(t2, t6);
        r3 = lo.selectFrom(t3, t7);
        r7 = hi.selectFrom(t3, t7);
        r8 = lo.selectFrom(t8, t12);
        r12 = hi.selectFrom(t8, t12);
        r9 = lo.selectFrom(t9, t13);
        r13 = hi.selectFrom(t9, t13);
        r10 = lo.selectFrom(t10, t14);
        r14 = hi.selectFrom(t10, t14);
        r11 = lo.selectFrom(t11, t15);
        r15 = hi.selectFrom(t11, t15);
        lo = FloatVector.fromArray(F, LOWER, 2 * SIZE);
        hi = FloatVector.fromArray(F, UPPER, 2 * SIZE);
        t0 = lo.selectFrom(r0, r2);
        t2 = hi.selectFrom(r0, r2);
        t1 = lo.selectFrom(r1, r3);
        t3 = hi.selectFrom(r1, r3);
        t4 = lo.selectFrom(r4, r6);
        t6 = hi.selectFrom(r4, r6);
        t5 = lo.selectFrom(r5, r7);
        t7 = hi.selectFrom(r5, r7);
        t8 = lo.selectFrom(r8, r10);
        t10 = hi.selectFrom(r8, r10);
        t9 = lo.selectFrom(r9, r11);
        t11 = hi.selectFrom(r9, r11);
        t12 = lo.selectFrom(r12, r14);
        t14 = hi.selectFrom(r12, r14);
        t13 = lo.selectFrom(r13, r15);
        t15 = hi.selectFrom(r13, r15);
        lo = FloatVector.fromArray(F, LOWER, 3 * SIZE);
        hi = FloatVector.fromArray(F, UPPER, 3 * SIZE);
        lo.selectFrom(t0, t1).intoArray(dst, d);
        hi.selectFrom(t0, t1).intoArray(dst, d + width);
        lo.selectFrom(t2, t3).intoArray(dst, d + 2 * width);
        hi.selectFrom(t2, t3).intoArray(dst, d + 3 * width);
        lo.selectFrom(t4, t5).intoArray(dst, d + 4 * width);
        hi.selectFrom(t4, t5).intoArray(dst, d + 5 * width);
        lo.selectFrom(t6, t7).intoArray(dst, d + 6 * width);
        hi.selectFrom(t6, t7).intoArray(dst, d + 7 * width);
        lo.selectFrom(t8, t9).intoArray(dst, d + 8 * width);
        hi.selectFrom(t8, t9).intoArray(dst, d + 9 * width);
        lo.selectFrom(t10, t11).intoArray(dst, d + 10 * width);
        hi.selectFrom(t10, t11).intoArray(dst, d + 11 * width);
        lo.selectFrom(t12, t13).intoArray(dst, d + 12 * width);
        hi.selectFrom(t12, t13).intoArray(dst, d + 13 * width);
        lo.selectFrom(t14, t15).intoArray(dst, d + 14 * width);
        hi.selectFrom(t14, t15).intoArray(dst, d + 15 * width);
    }
}
