package dev.autodiff.kernel;

/**
 * A row-major index into a shape that moves offsets into operands along with it, each by
 * its own strides (0 along a broadcast axis): one step per element of the shape, with
 * additions only, where recomputing an offset from the flat index would divide once per
 * axis. The scalar kernels walk every output element with it, the SIMD kernels every row.
 */
public final class Odometer {
    private final int[] shape;
    private final int[][] strides;
    private final int[] index;
    private final int[] offsets;

    /** Starts at flat index {@code start} of {@code shape}, with one array of strides per operand. */
    public Odometer(int[] shape, int start, int[]... strides) {
        this.shape = shape;
        this.strides = strides;
        this.index = new int[shape.length];
        this.offsets = new int[strides.length];
        int rest = start;
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
            for (int o = 0; o < strides.length; o++) {
                offsets[o] += index[d] * strides[o][d];
            }
        }
    }

    /** Where the current element of the operand is. */
    public int offset(int operand) {
        return offsets[operand];
    }

    /** Moves to the next element. */
    public void next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            for (int o = 0; o < offsets.length; o++) {
                offsets[o] += strides[o][d];
            }
            if (++index[d] < shape[d]) {
                return;
            }
            for (int o = 0; o < offsets.length; o++) {
                offsets[o] -= strides[o][d] * shape[d];
            }
            index[d] = 0;
        }
    }
}
