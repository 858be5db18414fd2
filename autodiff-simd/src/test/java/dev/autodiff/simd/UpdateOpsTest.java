package dev.autodiff.simd;

import static dev.autodiff.simd.Floats.assertBitEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.AdamStep;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import org.junit.jupiter.api.Test;

/** The in-place updates: bit for bit with the reference, the sum of squares within its double rounding. */
class UpdateOpsTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels SIMD = new SimdKernels(2);

    private interface Update {
        void apply(Kernels k, float[] x, float[] y, int n);
    }

    private static void check(String what, Update update) {
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 127, 1021, 4099, 70001}) {
            float[] x = Floats.values(n, n);
            float[] y0 = Floats.values(n, n + 1);
            float[] expected = y0.clone();
            float[] actual = y0.clone();
            update.apply(SCALAR, x, expected, n);
            update.apply(SIMD, x, actual, n);
            assertBitEqual(expected, actual, n, what + " n=" + n);
        }
    }

    @Test
    void updatesMatchReference() {
        check("scale", (k, x, y, n) -> k.scale(-0.7f, y, n));
        check("axpby", (k, x, y, n) -> k.axpby(0.3f, x, 0.9f, y, n));
        check("squareAxpby", (k, x, y, n) -> k.squareAxpby(0.001f, x, 0.999f, y, n));
        check("addRatio", (k, x, y, n) -> k.addRatio(-1e-3f, x, abs(y), 1e-8f, y, n));
        check("maxInPlace", (k, x, y, n) -> k.maxInPlace(x, y, n));
        check("clamp", (k, x, y, n) -> k.clamp(y, -1.5f, 2.5f, n));
    }

    /** The fused momentum step writes both the buffer and the parameter with the reference's bits, with weight decay or not. */
    @Test
    void momentumStepMatchesReference() {
        for (float decay : new float[] {0f, 5e-4f}) {
            for (int n : new int[] {0, 1, 7, 8, 9, 15, 127, 1021, 4099, 70001}) {
                float[] grad = Floats.values(n, n);
                float[][] expected = {Floats.values(n, n + 1), Floats.values(n, n + 2)};
                float[][] actual = {expected[0].clone(), expected[1].clone()};
                SCALAR.momentumStep(0.9f, 0.75f, grad, decay, expected[0], -0.01f, expected[1], n);
                SIMD.momentumStep(0.9f, 0.75f, grad, decay, actual[0], -0.01f, actual[1], n);
                assertBitEqual(expected[0], actual[0], n, "momentumStep buffer n=" + n + " decay " + decay);
                assertBitEqual(expected[1], actual[1], n, "momentumStep param n=" + n + " decay " + decay);
            }
        }
    }

    /** The fused Nesterov step writes both the buffer and the parameter with the reference's bits, with weight decay or not. */
    @Test
    void nesterovStepMatchesReference() {
        for (float decay : new float[] {0f, 5e-4f}) {
            for (int n : new int[] {0, 1, 7, 8, 9, 15, 127, 1021, 4099, 70001}) {
                float[] grad = Floats.values(n, n);
                float[][] expected = {Floats.values(n, n + 1), Floats.values(n, n + 2)};
                float[][] actual = {expected[0].clone(), expected[1].clone()};
                SCALAR.nesterovStep(0.9f, grad, decay, expected[0], -0.01f, expected[1], n);
                SIMD.nesterovStep(0.9f, grad, decay, actual[0], -0.01f, actual[1], n);
                assertBitEqual(expected[0], actual[0], n, "nesterovStep buffer n=" + n + " decay " + decay);
                assertBitEqual(expected[1], actual[1], n, "nesterovStep param n=" + n + " decay " + decay);
            }
        }
    }

    /** The fused RMSprop and Adagrad step writes the sum of squares and the parameter with the reference's bits, with weight decay or not. */
    @Test
    void rmsStepMatchesReference() {
        for (float decay : new float[] {0f, 1e-2f}) {
            for (int n : new int[] {0, 1, 7, 8, 9, 15, 127, 1021, 4099, 70001}) {
                float[] grad = Floats.values(n, n);
                float[][] expected = {abs(Floats.values(n, n + 1)), Floats.values(n, n + 2)};
                float[][] actual = {expected[0].clone(), expected[1].clone()};
                SCALAR.rmsStep(0.99f, 0.01f, grad, decay, expected[0], -0.003f, 1e-8f, expected[1], n);
                SIMD.rmsStep(0.99f, 0.01f, grad, decay, actual[0], -0.003f, 1e-8f, actual[1], n);
                assertBitEqual(expected[0], actual[0], n, "rmsStep sum of squares n=" + n + " decay " + decay);
                assertBitEqual(expected[1], actual[1], n, "rmsStep param n=" + n + " decay " + decay);
            }
        }
    }

    /** The fused Adam step writes the parameter and both moments with the reference's bits, with L2 decay, shrunk or neither. */
    @Test
    void adamStepMatchesReference() {
        for (float[] decayAndShrink : new float[][] {{0f, 1f}, {0f, 0.999f}, {1e-2f, 1f}}) {
            AdamStep step = new AdamStep(decayAndShrink[0], decayAndShrink[1], 0.9f, 0.1f, 0.999f, 0.001f, -0.003f, 1e-8f);
            for (int n : new int[] {0, 1, 7, 8, 9, 15, 127, 1021, 4099, 70001}) {
                float[] grad = Floats.values(n, n);
                float[][] expected = {Floats.values(n, n + 1), abs(Floats.values(n, n + 2)), Floats.values(n, n + 3)};
                float[][] actual = {expected[0].clone(), expected[1].clone(), expected[2].clone()};
                SCALAR.adamStep(step, grad, expected[0], expected[1], expected[2], n);
                SIMD.adamStep(step, grad, actual[0], actual[1], actual[2], n);
                assertBitEqual(expected[0], actual[0], n, "adamStep first moment n=" + n + " " + step);
                assertBitEqual(expected[1], actual[1], n, "adamStep second moment n=" + n + " " + step);
                assertBitEqual(expected[2], actual[2], n, "adamStep param n=" + n + " " + step);
            }
        }
    }

    /**
     * Both sides add the exact double squares in different orders, so they agree within twice a
     * double sum's rounding, {@code 2n·2^-53·Σx²}: a 1 then 1e-8s is exactly 1 in the
     * reference's order, where every 1e-16 is lost, and nearer the true sum in the lanes.
     */
    @Test
    void sumOfSquaresMatchesReference() {
        for (int n : new int[] {0, 1, 9, 1021, 70001}) {
            float[] x = Floats.uniform(n, n);
            assertSumOfSquaresAgrees(x, "n=" + n);
        }
        float[] smallAfterOne = new float[100_000];
        java.util.Arrays.fill(smallAfterOne, 1e-8f);
        smallAfterOne[0] = 1f;
        assertSumOfSquaresAgrees(smallAfterOne, "1 then 1e-8s");
    }

    private static void assertSumOfSquaresAgrees(float[] x, String what) {
        int n = x.length;
        double expected = SCALAR.sumOfSquares(x, n);
        assertEquals(expected, SIMD.sumOfSquares(x, n), 2.0 * n * 0x1p-53 * expected, what);
    }

    private static float[] abs(float[] y) {
        float[] a = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            a[i] = Math.abs(y[i]);
        }
        return a;
    }
}
