package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * One row of inputs times a weight packed in panels: a linear layer on one sample, where
 * reading the weight is all the work. The panels hold the first {@code n - n % NARROW}
 * rows of the weight, transposed: a panel of width W from column j holds columns
 * {@code [j, j + W)} of {@code wᵀ}, k rows of W floats one after the other, at
 * {@code j·k}. Each column sums its products in k order from zero by multiply-adds,
 * whatever the width, and the columns the panels cover do not depend on the threads, so
 * neither do the bits.
 *
 * <p>The widths depend on the threads ({@link #width}). On one, panels are {@link #WIDE}
 * columns (the last {@link #NARROW} when the covered columns are an odd number of narrow
 * ones): each step of the shared dimension reads one contiguous kilobyte into sixteen
 * accumulators, in one loop (two passes of {@link MicroKernel#multiplyRowEightVectors}
 * over its halves took 5.8–6.2 µs for 784 by 256). With more threads, panels are
 * {@link #NARROW} columns and each thread reads whole ones, so a contiguous part of the
 * weight that stays in its core's cache from call to call: 784 by 256 took 3.7–3.8 µs at
 * two threads with each reading half of every wide panel, 2.3 with narrow panels, which
 * one thread reads in 4.5–6.1 (mostly over 5.6) where wide ones take 4.9–5.5 (Zen 5,
 * docs/performance-kernels.md).
 *
 * <p>Why a packed copy: the weight as stored ({@code [out, in]}) is read as dot products,
 * whose lanes must be summed at the end of every row, and read transposed as stored the
 * loads lie a variable stride apart, which leaves C2 a bounds check on each; the stride of
 * a panel is a constant.
 *
 * <p>Only with 512-bit vectors ({@link #APPLIES}): sixteen accumulators need AVX-512's 32
 * registers.
 */
final class RowPanelKernel {
    private RowPanelKernel() {}

    private static final int L = F.length();
    /** Whether the vectors are wide enough for a wide panel's sixteen accumulators. */
    static final boolean APPLIES = L >= 16;
    /** The columns of a wide panel: sixteen vectors. */
    static final int WIDE = 16 * L;
    /** The columns of a narrow panel: eight vectors. */
    static final int NARROW = 8 * L;

    /** The width of the panels for kernels on {@code threads} threads, but for a last narrow one (see the class comment). */
    static int width(int threads) {
        return threads > 1 ? NARROW : WIDE;
    }

    /** The columns of {@code n} that the panels cover: whole narrow panels' worth, whatever the threads. */
    static int covered(int n) {
        return n / NARROW * NARROW;
    }

    /** The columns of the panel that starts at column {@code j}, of {@code covered} columns in panels of {@code width}. */
    static int panelColumns(int j, int covered, int width) {
        return Math.min(width, covered - j);
    }

    /**
     * The {@link #covered} rows of {@code w} (n×k, {@code [out, in]}), transposed into panels
     * of {@code width} columns and a last narrow one: column j's panel starts at
     * {@code j / width·width}, at that many times k floats.
     */
    static float[] pack(float[] w, int n, int k, int width) {
        int covered = covered(n);
        float[] packed = new float[covered * k];
        for (int j = 0; j < covered; j += width) {
            int cols = panelColumns(j, covered, width);
            GemmPacking.packB(true, w, 0, n, k, j, cols, cols, packed, j * k);
        }
        return packed;
    }

    /**
     * {@code c[c0 + j] = Σ_p a[p]·w[j][p]} for the {@link #WIDE} columns of the wide panel at
     * {@code panel[p0..]}, k steps.
     */
    static void multiply(int k, float[] a, float[] panel, int p0, float[] c, int c0) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        FloatVector s2 = zero;
        FloatVector s3 = zero;
        FloatVector s4 = zero;
        FloatVector s5 = zero;
        FloatVector s6 = zero;
        FloatVector s7 = zero;
        FloatVector s8 = zero;
        FloatVector s9 = zero;
        FloatVector s10 = zero;
        FloatVector s11 = zero;
        FloatVector s12 = zero;
        FloatVector s13 = zero;
        FloatVector s14 = zero;
        FloatVector s15 = zero;
        for (int p = 0; p < k; p++) {
            // the constant stride lets C2 drop the bounds checks of the loads
            int at = p0 + p * WIDE;
            FloatVector av = FloatVector.broadcast(F, a[p]);
            s0 = av.fma(FloatVector.fromArray(F, panel, at), s0);
            s1 = av.fma(FloatVector.fromArray(F, panel, at + L), s1);
            s2 = av.fma(FloatVector.fromArray(F, panel, at + 2 * L), s2);
            s3 = av.fma(FloatVector.fromArray(F, panel, at + 3 * L), s3);
            s4 = av.fma(FloatVector.fromArray(F, panel, at + 4 * L), s4);
            s5 = av.fma(FloatVector.fromArray(F, panel, at + 5 * L), s5);
            s6 = av.fma(FloatVector.fromArray(F, panel, at + 6 * L), s6);
            s7 = av.fma(FloatVector.fromArray(F, panel, at + 7 * L), s7);
            s8 = av.fma(FloatVector.fromArray(F, panel, at + 8 * L), s8);
            s9 = av.fma(FloatVector.fromArray(F, panel, at + 9 * L), s9);
            s10 = av.fma(FloatVector.fromArray(F, panel, at + 10 * L), s10);
            s11 = av.fma(FloatVector.fromArray(F, panel, at + 11 * L), s11);
            s12 = av.fma(FloatVector.fromArray(F, panel, at + 12 * L), s12);
            s13 = av.fma(FloatVector.fromArray(F, panel, at + 13 * L), s13);
            s14 = av.fma(FloatVector.fromArray(F, panel, at + 14 * L), s14);
            s15 = av.fma(FloatVector.fromArray(F, panel, at + 15 * L), s15);
        }
        // written out, as the tiles' stores: a helper taking the accumulators boxes them
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + L);
        s2.intoArray(c, c0 + 2 * L);
        s3.intoArray(c, c0 + 3 * L);
        s4.intoArray(c, c0 + 4 * L);
        s5.intoArray(c, c0 + 5 * L);
        s6.intoArray(c, c0 + 6 * L);
        s7.intoArray(c, c0 + 7 * L);
        s8.intoArray(c, c0 + 8 * L);
        s9.intoArray(c, c0 + 9 * L);
        s10.intoArray(c, c0 + 10 * L);
        s11.intoArray(c, c0 + 11 * L);
        s12.intoArray(c, c0 + 12 * L);
        s13.intoArray(c, c0 + 13 * L);
        s14.intoArray(c, c0 + 14 * L);
        s15.intoArray(c, c0 + 15 * L);
    }

    /** {@link #multiply} for the narrow panel at {@code panel[p0..]}, its {@link #NARROW} columns, the same sums. */
    static void multiplyNarrow(int k, float[] a, float[] panel, int p0, float[] c, int c0) {
        MicroKernel.multiplyRowEightVectors(k, a, 0, panel, p0, NARROW, c, c0, true);
    }
}
