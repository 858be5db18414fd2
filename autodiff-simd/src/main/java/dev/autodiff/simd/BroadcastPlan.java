package dev.autodiff.simd;

import dev.autodiff.kernel.Odometer;

/**
 * How operands broadcast to an output shape, with axes of size 1 dropped and neighbouring
 * axes merged wherever every operand is laid out contiguously across them. What remains
 * is a list of rows: the last axis is an inner run that each operand either reads
 * contiguously or repeats from one element, and the axes before it are walked by index.
 */
final class BroadcastPlan {
    /** The sizes of the axes before the inner run (possibly none). */
    private final int[] outer;
    /** {@code strides[operand][axis]}: the operand's strides over the outer axes. */
    private final int[][] strides;
    /** The length of the inner run. */
    final int inner;
    /** Whether each operand advances along the inner run (else it repeats one element). */
    private final boolean[] contiguous;
    /** The number of rows, the product of the outer sizes. */
    final int rows;

    private BroadcastPlan(int[] outer, int[][] strides, int inner, boolean[] contiguous) {
        this.outer = outer;
        this.strides = strides;
        this.inner = inner;
        this.contiguous = contiguous;
        int r = 1;
        for (int size : outer) {
            r *= size;
        }
        this.rows = r;
    }

    /** The plan for operands of the given shapes (same rank as {@code outShape}). */
    static BroadcastPlan of(int[] outShape, int[]... shapes) {
        int rank = outShape.length;
        int ops = shapes.length;
        int[] sizes = new int[rank];
        int[][] st = new int[ops][rank];
        int kept = 0;
        int[][] full = new int[ops][];
        for (int o = 0; o < ops; o++) {
            full[o] = dev.autodiff.kernel.Strides.broadcastStrides(shapes[o], outShape);
        }
        for (int d = 0; d < rank; d++) {
            if (outShape[d] == 1) {
                continue;
            }
            if (kept > 0 && mergeable(full, st, kept - 1, d, outShape[d])) {
                sizes[kept - 1] *= outShape[d];
                for (int o = 0; o < ops; o++) {
                    st[o][kept - 1] = full[o][d];
                }
                continue;
            }
            sizes[kept] = outShape[d];
            for (int o = 0; o < ops; o++) {
                st[o][kept] = full[o][d];
            }
            kept++;
        }
        if (kept == 0) {
            boolean[] all = new boolean[ops];
            java.util.Arrays.fill(all, true);
            return new BroadcastPlan(new int[0], new int[ops][0], 1, all);
        }
        boolean[] contiguous = new boolean[ops];
        int[][] outerStrides = new int[ops][];
        for (int o = 0; o < ops; o++) {
            contiguous[o] = st[o][kept - 1] != 0;
            outerStrides[o] = java.util.Arrays.copyOf(st[o], kept - 1);
        }
        return new BroadcastPlan(java.util.Arrays.copyOf(sizes, kept - 1), outerStrides, sizes[kept - 1], contiguous);
    }

    /** Whether axis d continues merged axis p for every operand: p's stride is d's stride times d's size. */
    private static boolean mergeable(int[][] full, int[][] merged, int p, int d, int size) {
        for (int o = 0; o < full.length; o++) {
            if (merged[o][p] != full[o][d] * size) {
                return false;
            }
        }
        return true;
    }

    boolean contiguous(int operand) {
        return contiguous[operand];
    }

    /** An odometer over the rows from row {@code row}, moving each operand's row offset (additions only). */
    Odometer rows(int row) {
        return new Odometer(outer, row, strides);
    }
}
