package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * One row of inputs times a weight packed in panels: a linear layer on one sample, where
 * reading the weight is all the work. Panel q of width W holds columns
 * {@code [q·W, (q + 1)·W)} of {@code wᵀ}, k rows of W floats one after the other. Each
 * column sums its products in k order from zero by multiply-adds, whatever the width, so
 * the bits do not depend on it.
 *
 * <p>The width depends on the threads and the layer ({@link #width}). On one thread, a
 * layer of {@link #WIDE} outputs or more has panels of {@link #WIDE} columns: each step of
 * the shared dimension reads one contiguous kilobyte into sixteen accumulators, in one
 * loop (two passes of {@link MicroKernel#multiplyRowEightVectors} over its halves took
 * 5.8–6.2 µs for 784 by 256). With more threads, or fewer outputs, panels are
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

    /**
     * The panel width for a layer of {@code n} outputs on {@code threads} threads (see the
     * class comment). A layer narrower than a wide panel has narrow ones: on one thread,
     * 128×784 takes 2.1 µs from them against 3.3 as stored.
     */
    static int width(int threads, int n) {
        return threads > 1 || n < WIDE ? NARROW : WIDE;
    }

    /**
     * The first {@code panels·width} rows of {@code w} (n×k, {@code [out, in]}), transposed
     * into panels: element {@code (j, p)} of w goes to {@code (j / width)·k·width + p·width + j % width}.
     */
    static float[] pack(float[] w, int n, int k, int panels, int width) {
        float[] packed = new float[panels * k * width];
        for (int q = 0; q < panels; q++) {
            GemmPacking.packB(true, w, 0, n, k, q * width, width, width, packed, q * k * width);
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
