package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.fail;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Unary;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The linear layer's fused kernel gives, bit for bit, what its own product, broadcast add and
 * ReLU give in three passes: on every path of the product (tiny, unpacked, blocked with
 * narrow and partial panels, several column chunks), at one and two threads, in the SIMD and
 * the scalar kernels, with and without a bias and a ReLU. Pre-activations include exact
 * zeros, -0, NaN and infinities, where ReLU's rule is easiest to get wrong.
 */
class LinearKernelTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 5, 7}, {4, 20, 64}, {5, 19, 65}, {17, 9, 100}, {7, 33, 300}, {64, 256, 784},
        {129, 10, 256}, {130, 70, 513}, {256, 256, 512}, {300, 1400, 800}, {32, 77, 40}, {96, 300, 1100},
    };

    @Test
    void fusedEqualsProductThenBiasThenRelu() {
        for (Kernels kernels : new Kernels[] {new SimdKernels(1), new SimdKernels(2), new ScalarKernels()}) {
            for (int[] s : SHAPES) {
                if (kernels instanceof ScalarKernels && (long) s[0] * s[1] * s[2] > 5_000_000) {
                    continue; // the reference is slow; its rule is the same at every size
                }
                for (int variant = 0; variant < 4; variant++) {
                    check(kernels, s[0], s[1], s[2], (variant & 1) != 0, (variant & 2) != 0);
                }
            }
        }
    }

    private static void check(Kernels kernels, int m, int n, int k, boolean withBias, boolean relu) {
        Random rnd = new Random(31L * m + 7L * n + k);
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        if (m > 2 && k > 0) {
            x[k] = Float.NaN; // row 1 of the product is NaN
            java.util.Arrays.fill(x, 2 * k, 3 * k, 0f); // row 2 is zero, or the bias
        }
        float[] bias = withBias ? Floats.values(n, n) : null;
        if (withBias && n > 3) {
            bias[0] = -0f;
            bias[1] = Float.POSITIVE_INFINITY;
            bias[2] = Float.NEGATIVE_INFINITY;
        }
        float[] expected = new float[m * n];
        kernels.gemm(false, true, m, n, k, x, w, expected, false);
        if (withBias) {
            kernels.binary(Binary.ADD, expected, new int[] {m, n}, bias, new int[] {1, n}, expected, new int[] {m, n});
        }
        if (relu) {
            kernels.unary(Unary.RELU, 0f, expected, expected, expected.length);
        }
        float[] out = new float[m * n];
        java.util.Arrays.fill(out, 42f); // the kernel overwrites, whatever was there
        kernels.linear(m, n, k, x, w, bias, relu, out);
        for (int i = 0; i < out.length; i++) {
            if (Float.floatToIntBits(out[i]) != Float.floatToIntBits(expected[i])) { // any NaN is a NaN
                fail(kernels.name() + " " + kernels.threads() + " threads, " + m + "x" + n + "x" + k + " bias=" + withBias
                        + " relu=" + relu + ": element " + i + " is " + out[i] + ", three passes give " + expected[i]);
            }
        }
    }
}
