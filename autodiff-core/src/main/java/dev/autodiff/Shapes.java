package dev.autodiff;

import java.util.Arrays;

/** Shape arithmetic and the checks that name the op and the shapes when they fail. */
final class Shapes {
    private Shapes() {}

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The NumPy broadcast of two shapes, or an exception naming the op. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromRight(a, rank - 1 - i);
            int db = dimFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private static int dimFromRight(int[] shape, int fromRight) {
        int i = shape.length - 1 - fromRight;
        return i >= 0 ? shape[i] : 1;
    }

    /** {@code shape} with leading ones up to {@code rank}. */
    static int[] padLeft(int[] shape, int rank) {
        if (shape.length == rank) {
            return shape;
        }
        int[] out = new int[rank];
        Arrays.fill(out, 0, rank - shape.length, 1);
        System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
        return out;
    }

    /** An axis that may be negative (counted from the end), checked against the rank. */
    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Normalised, sorted, distinct axes; no axes at all means every axis. */
    static int[] axes(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(op, axes[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " is given twice in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    /**
     * The rows of the matrix a shape flattens to, its last axis the columns: the product of
     * the other dimensions. {@code reshape(-1, columns)} cannot say it when there are no
     * columns.
     */
    static int rows(int[] shape) {
        int rows = 1;
        for (int d = 0; d < shape.length - 1; d++) {
            rows *= shape[d];
        }
        return rows;
    }

    /** The shape after reducing {@code axes} (sorted), keeping them as ones or dropping them. */
    static int[] reduced(int[] shape, int[] axes, boolean keepDims) {
        int[] out = new int[keepDims ? shape.length : shape.length - axes.length];
        int j = 0;
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            boolean reducedAxis = k < axes.length && axes[k] == d;
            if (reducedAxis) {
                k++;
                if (keepDims) {
                    out[j++] = 1;
                }
            } else {
                out[j++] = shape[d];
            }
        }
        return out;
    }

    static void checkDims(String what, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(what + ": negative dimension in shape " + str(shape));
            }
        }
    }
}
