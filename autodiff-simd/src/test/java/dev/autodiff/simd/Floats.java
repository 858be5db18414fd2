package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Test data and comparisons for float kernels. */
final class Floats {
    private Floats() {}

    /** Lengths around the vector width and a few primes, so that both vector loops and tails run. */
    static int[] lengths() {
        int lanes = VectorMath.F.length();
        return new int[] {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 127, 1021, 4099};
    }

    /** Values that break careless code: zeros, infinities, NaN, extremes, saturation points. */
    static final float[] SPECIAL = {
        0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
        1f, -1f, 0.5f, -0.5f, 0.625f, -0.625f, 2f, -2f, 9f, -9f, 9.1f, -9.1f, 15f, -15f, 17f, -17f,
        88f, 88.7f, 89f, -87.3f, -88f, -100f, -103f, -104f, -110f, 1e-20f, -1e-20f, 1e-40f, 1e30f, -1e30f,
    };

    /** {@code n} values: the special ones, then a mix of uniform and log-uniform magnitudes. */
    static float[] values(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            if (i < SPECIAL.length && n > 100) {
                x[i] = SPECIAL[i];
            } else if (rnd.nextBoolean()) {
                x[i] = (float) (rnd.nextDouble() * 20 - 10);
            } else {
                float mag = (float) Math.pow(10, rnd.nextDouble() * 8 - 5);
                x[i] = rnd.nextBoolean() ? mag : -mag;
            }
        }
        return x;
    }

    static float[] uniform(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** The number of floats between a and b (0 when equal, NaN counts as equal to NaN). */
    static long ulps(float a, float b) {
        if (Float.compare(a, b) == 0 || (a == b)) {
            return 0;
        }
        if (Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) {
            return Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToIntBits(f);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }

    static void assertBitEqual(float[] expected, float[] actual, int n, String what) {
        for (int i = 0; i < n; i++) {
            if (Float.compare(expected[i], actual[i]) != 0) {
                fail(what + ": at " + i + " expected " + expected[i] + " but got " + actual[i]);
            }
        }
    }

    /** Each element within {@code maxUlps} of the expected one, or within {@code absTol} of it. */
    static void assertClose(float[] expected, float[] actual, int n, long maxUlps, double absTol, String what) {
        for (int i = 0; i < n; i++) {
            long u = ulps(expected[i], actual[i]);
            if (u > maxUlps && !(Math.abs((double) expected[i] - actual[i]) <= absTol)) {
                fail(what + ": at " + i + " expected " + expected[i] + " but got " + actual[i] + " (" + u + " ulp)");
            }
        }
    }
}
