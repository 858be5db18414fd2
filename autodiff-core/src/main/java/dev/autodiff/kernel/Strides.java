package dev.autodiff.kernel;

/** Index arithmetic for dense row-major arrays, shared by kernels and tensors. */
public final class Strides {
    private Strides() {}

    /** The number of elements of a shape (1 for rank 0). */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides of a shape. */
    public static int[] of(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
        return strides;
    }

    /** Strides that read {@code shape} as if broadcast to {@code target} (0 along broadcast axes); same rank. */
    public static int[] broadcastStrides(int[] shape, int[] target) {
        int[] strides = of(shape);
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1 && target[d] != 1) {
                strides[d] = 0;
            }
        }
        return strides;
    }
}
