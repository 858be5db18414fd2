package dev.autodiff.simd;

import static dev.autodiff.simd.Floats.assertBitEqual;
import static dev.autodiff.simd.Floats.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Unary;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unary functions and their fused derivatives against the scalar reference
 * ({@link dev.autodiff.kernel.ScalarMath}, whose own accuracy is measured in core). Exact
 * functions match bit for bit: NEG, ABS, SQRT, POW with exponent 2, RELU, LEAKY_RELU,
 * RSQRT, and the derivatives of NEG, ABS, EXP, LOG, SQRT, POW with exponent 2, RELU,
 * LEAKY_RELU. The others agree within (ulps of the reference, the bounds each kernel's
 * Javadoc in {@code UnaryLoops} states, and {@link #forwardUlps}, {@link #backwardUlps} here):
 * <ul>
 *   <li>pow with any other exponent, and its derivative: 1;</li>
 *   <li>exp, log, tanh: 1; sin, cos: 2 (see
 *       {@link #sinAndCosKeepTheirAccuracyNearZerosAndUpToTheLimit}); erf, sigmoid, softplus,
 *       log1p, expm1, elu: 3;</li>
 *   <li>silu: 3, gelu: 5; or 1e-43 absolute where σ(x) or Φ(x) is a subnormal float
 *       (below x ≈ -87 and -13), whose lost bits the vector code carries into the product;</li>
 *   <li>derivatives of log1p: 1, elu: 3, sigmoid, tanh, softplus, sin, cos, expm1: 4, erf: 5,
 *       rsqrt: 6 (formed in float from the rounded y, cubed; the reference rounds once from
 *       double); where f'(x) of elu, erf, softplus or expm1 is itself subnormal, 4·2^-149·|g|
 *       absolute, its lost bits times g;</li>
 *   <li>derivatives of gelu: 5, or 2^-146·|g| absolute where e^{-x²/2} is a subnormal float
 *       (|x| above 13.2); silu: 6, or 2^-142·|g| absolute where σ(x) is (x below -87.3).
 *       Around their zeros, at -0.75 and -1.28, where their two terms cancel, a factor of
 *       the distance to the zero keeps their relative accuracy
 *       ({@link #derivativeKeepsItsUlpsThroughItsZero}).</li>
 * </ul>
 * rsqrt is exact: the reference divides 1 by the float square root, as the vectors do.
 * {@link #boundsHoldAcrossTheFloatLineAndTheRangeOfG} holds the bounds over the whole float
 * line and at the floats where sweeps of every 97th float, and of whole binades, found each
 * kernel's largest error.
 */
class UnaryTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels SIMD = new SimdKernels(1);

    private static float param(Unary op) {
        return switch (op) {
            case LEAKY_RELU -> 0.01f;
            case POW -> 2f;
            case ELU -> 1.5f;
            default -> 0f;
        };
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void forwardMatchesReference(Unary op) {
        for (int n : Floats.lengths()) {
            checkForward(op, param(op), Floats.values(n, n));
        }
        checkForward(op, param(op), Floats.SPECIAL);
        checkForward(op, param(op), grid());
    }

    /**
     * POW with integer exponents (repeated squaring in double), half-integer ones (the square
     * root of such a power, up to ±63.5, whose double x^127 overflows and underflows), others
     * (e^{p·log x} in double) and exponents the vectors hand to the reference (NaN, infinite), forward and backward,
     * on odd lengths, the special values and a grid: within 1 ulp of the reference.
     */
    @Test
    void powWithOtherExponentsMatchesReference() {
        float[] exponents = {0f, 1f, 3f, -1f, -2f, 7f, 127f, 128f, 0.5f, -0.5f, 1.5f, 2.5f, 63.5f, -63.5f, 64.5f,
            1.7f, -2.5f, 1e-3f, 40.25f, Float.NaN, Float.POSITIVE_INFINITY};
        for (float p : exponents) {
            for (int n : Floats.lengths()) {
                checkPow(p, Floats.values(n, 7 + n));
            }
            checkPow(p, Floats.SPECIAL);
            float[] positive = grid();
            for (int i = 0; i < positive.length; i++) {
                positive[i] = Math.abs(positive[i]);
            }
            checkPow(p, positive);
        }
    }

    /**
     * x³ runs in float as (x·x)·x: around overflow of x³ and of x², in the subnormals, and
     * signed zeros; and at the one magnitude where it overflows a rounding early, as the
     * class comment of {@code VectorPow} says (and as PyTorch's x·x·x does).
     */
    @Test
    void cubeInFloatKeepsTheEdges() {
        float early = 6.9814636e12f;
        float[] x = {6.98e12f, 6.99e12f, -6.99e12f, Math.nextDown(early), Math.nextUp(early), -Math.nextUp(early),
            1.8e19f, 1.9e19f, -3e30f, 2e-42f, 5.3e-15f, -5.3e-15f,
            1e-30f, -0f, 0f, 1.0000001f, -0.99999994f, 123.456f, Float.MAX_VALUE, -Float.MIN_VALUE};
        float[] padded = java.util.Arrays.copyOf(x, 2 * 16 * ((x.length + 31) / 32));
        checkPow(3f, padded);

        float[] atEarly = new float[32];
        atEarly[0] = early;
        atEarly[1] = -early;
        float[] reference = new float[32];
        float[] cube = new float[32];
        SCALAR.unary(Unary.POW, 3f, atEarly, reference, 32);
        SIMD.unary(Unary.POW, 3f, atEarly, cube, 32);
        assertEquals(Float.MAX_VALUE, reference[0]);
        assertEquals(-Float.MAX_VALUE, reference[1]);
        assertEquals(Float.POSITIVE_INFINITY, cube[0]);
        assertEquals(Float.NEGATIVE_INFINITY, cube[1]);
    }

    /** Between 2^42 and the overflow of x² the cube overflows: every such x must give the signed infinity. */
    @Test
    void cubeOverflowsWithTheSignOfX() {
        int n = 4096;
        float[] x = new float[n];
        float from = 0x1p42f;
        float ratio = (float) Math.pow(Math.sqrt(Float.MAX_VALUE) / from, 1.0 / (n / 2));
        for (int i = 0; i < n / 2; i++) {
            x[2 * i] = from * (float) Math.pow(ratio, i);
            x[2 * i + 1] = -x[2 * i];
        }
        x[0] = 2.2536445e15f; // x² = h + l with l·x below -Float.MAX_VALUE, which an FMA form must mind
        checkPow(3f, x);
    }

    /**
     * Leaky ReLU takes {@code max(x, slope·x)} for a slope in (0, 1] and chooses by x's sign
     * for any other: both give the reference's bits, signed zeros, infinities and NaN included
     * (with a slope of 0, +Inf·0 is NaN, which the choice avoids).
     */
    @Test
    void leakyReluHasTheReferenceBitsForEverySlope() {
        float[] slopes = {0.01f, 1f, Float.MIN_VALUE, 0.5f, 0f, -0f, -0.2f, 1.5f, Float.NaN};
        float[] x = java.util.Arrays.copyOf(Floats.SPECIAL, 16 * ((Floats.SPECIAL.length + 15) / 16) + 7);
        System.arraycopy(Floats.values(7, 3), 0, x, Floats.SPECIAL.length, 7);
        float[] g = Floats.values(x.length, 11);
        for (float slope : slopes) {
            checkForward(Unary.LEAKY_RELU, slope, x);
            checkBackward(Unary.LEAKY_RELU, slope, x, g, 0); // bit for bit: no absolute tolerance
        }
    }

    private static void checkPow(float p, float[] x) {
        int n = x.length;
        float[] expected = new float[n];
        float[] actual = new float[n];
        SCALAR.unary(Unary.POW, p, x, expected, n);
        SIMD.unary(Unary.POW, p, x, actual, n);
        assertClose(expected, actual, n, 1, 0, "pow " + p + " n=" + n);
        float[] g = Floats.values(n, 99);
        SCALAR.unaryBackward(Unary.POW, p, g, x, expected, expected, n);
        SIMD.unaryBackward(Unary.POW, p, g, x, actual, actual, n);
        assertClose(expected, actual, n, 1, 0, "pow' " + p + " n=" + n);
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void backwardMatchesReference(Unary op) {
        for (int n : Floats.lengths()) {
            checkBackward(op, Floats.values(n, 31 + n));
        }
        checkBackward(op, Floats.SPECIAL);
        checkBackward(op, grid());
    }

    @Test
    void outputMayAliasInput() {
        float[] x = Floats.values(1021, 3);
        float[] expected = new float[x.length];
        SIMD.unary(Unary.TANH, 0f, x, expected, x.length);
        SIMD.unary(Unary.TANH, 0f, x, x, x.length);
        assertBitEqual(expected, x, x.length, "tanh in place");
    }

    /**
     * sin and cos at the floats nearest to multiples of π/2 (where one of them passes through
     * zero and a careless reduction loses every bit), their neighbours, and random values up
     * to the vector path's limit and just past it, where the scalar reference takes over.
     */
    @Test
    void sinAndCosKeepTheirAccuracyNearZerosAndUpToTheLimit() {
        Random rnd = new Random(17);
        int n = 20_001;
        float[] x = new float[3 * n];
        for (int i = 0; i < n; i++) {
            long k = i < 1000 ? i : (long) (rnd.nextDouble() * VectorTrig.LIMIT / (Math.PI / 2));
            float nearest = (float) (k * (Math.PI / 2));
            x[3 * i] = rnd.nextBoolean() ? nearest : -nearest;
            x[3 * i + 1] = Math.nextUp(nearest);
            x[3 * i + 2] = (float) ((rnd.nextDouble() * 2.2 - 1.1) * VectorTrig.LIMIT);
        }
        for (Unary op : new Unary[] {Unary.SIN, Unary.COS}) {
            checkForward(op, 0f, x);
            checkBackward(op, x);
        }
    }

    /**
     * The tanh and sigmoid derivatives where e^{-|a·x|} is subnormal or below (|x| from 40 to
     * 200), with gradients far from 1: the result is a normal float there for a large g, and
     * must not take the lost bits of a subnormal e, nor overflow in g·c before the scaling. For
     * |g| beyond 5e29 the kernel takes e as 0 past |a·x| = 174, so that g stops at |x| = 87.
     */
    @Test
    void logisticSlopesKeepTheirAccuracyWhereTheExponentialUnderflows() {
        int n = 16_001;
        float[] y = new float[n];
        for (float scale : new float[] {1e-30f, 1f, 1e20f, 1e28f, -3e37f}) {
            float xMax = Math.abs(scale) < 5e29f ? 200f : 87f;
            float[] x = new float[n];
            float[] g = new float[n];
            Random rnd = new Random(n);
            for (int i = 0; i < n; i++) {
                x[i] = (i % 2 == 0 ? 1 : -1) * (40f + (xMax - 40f) * i / (n - 1));
                g[i] = scale * (float) (rnd.nextDouble() + 0.5);
            }
            for (Unary op : new Unary[] {Unary.TANH, Unary.SIGMOID}) {
                float[] expected = new float[n];
                float[] actual = new float[n];
                SCALAR.unaryBackward(op, 0f, g, x, y, expected, n);
                SIMD.unaryBackward(op, 0f, g, x, y, actual, n);
                assertClose(expected, actual, n, 4, 0, op + "' g~" + scale);
            }
        }
    }

    /**
     * Every 65521st float of the whole line (signs, subnormals, infinities and NaNs included),
     * after the floats where sweeps of every 97th float and of whole binades (2026-11-30) found
     * the kernels' largest errors; forward, and backward for gradients from 1e-30 to 3e29, where
     * f'(x) may be subnormal while g·f'(x) is not.
     */
    @ParameterizedTest
    @EnumSource(Unary.class)
    void boundsHoldAcrossTheFloatLineAndTheRangeOfG(Unary op) {
        float[] x = floatLine();
        checkForward(op, param(op), x);
        for (float g : new float[] {1f, -1.7f, 1000f, 1e-30f, -3e29f}) {
            float[] gs = new float[x.length];
            java.util.Arrays.fill(gs, g);
            checkBackward(op, param(op), x, gs, Math.abs(g));
        }
    }

    /**
     * silu' and gelu' keep their relative accuracy through their zeros, at -1.2784645 and
     * -0.7517915: every float within 2^-11 of them. Formed from σ or Φ, the derivative there
     * is what is left of two terms that cancel, and was off by up to 140,000 and 280,000 ulp.
     */
    @ParameterizedTest
    @CsvSource({"SILU, -1.2784645", "GELU, -0.7517915"})
    void derivativeKeepsItsUlpsThroughItsZero(Unary op, float zero) {
        int center = Float.floatToRawIntBits(zero);
        int reach = (int) (0x1p-11 / Math.ulp(zero));
        float[] x = new float[2 * reach + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = bits(center - reach + i);
        }
        float[] g = new float[x.length];
        java.util.Arrays.fill(g, -1.7f);
        checkBackward(op, 0f, x, g, 1.7);
    }

    /** The worst floats found so far, then every 65521st bit pattern. */
    private static float[] floatLine() {
        float[] worst = {
            // erf: 3 ulp (from |x| = 0.5, 1 - erfc); sigmoid: 3 ulp
            bits(0x3f003c7e), bits(0xbf00002e), 0.50092304f, 0.50000274f, -0.50000274f,
            bits(0xc02f9ca6), bits(0xbf8d09c5), -1.1018606f,
            // gelu: 5 ulp, with the far lanes' two-step scaling in the second
            -10.961592f, -13.09631f,
            // gelu': where its terms cancel (1.8e-7·|g| when formed as Φ(x) + x·φ(x)), 4 and 5 ulp,
            // where the exponential leaves the inline path, 7·2^-149·|g| where e^{-x²/2} is subnormal
            bits(0xbf1a7ce5), bits(0xbf048ea4), bits(0xbe87760a), -0.7517915f, -0.7517907f,
            -0.7339932f, -0.4773804f, -0.507922f, -0.13354847f, -0.50113016f, 4.247725E-4f, -0.032988816f,
            -8.878541f, -8.780309f, -8.791936f, -1.8748764f, -1.7534667f, 13f, -13f, 13.000001f, -13.000001f,
            -13.316157f, -13.288035f, -13.338729f, -13.35242f, -13.351957f,
            // silu': the float nearest its zero and the ends of its series' reach; 6 ulp beyond it,
            // 4 ulp elsewhere; 67·2^-149·|g| where σ(x) is subnormal
            -1.2784646f, -1.2784613f, -1.2284646f, -1.2284645f, -1.3284646f, -1.3284647f, bits(0xbf9986d2),
            -0.49985835f, 2.8825984f, -15.732631f, -91.84554f, -91.8226f, -89.012184f,
            // rsqrt': 6 ulp; elu': 3 ulp; erf': 5 ulp
            bits(0x3fb65bbb), bits(0x3f95ef62), bits(0x3fb00bbe), 1.4246744f, 4.70455e-25f,
            bits(0xc246073a), bits(0xc28dfc84), -6.6296096f, -6.539762f,
            bits(0x40ce4487), bits(0x41071c55), 5.942455f, -5.942455f,
            // f'(x) subnormal or flushed to 0: elu', erf', softplus', expm1', silu', gelu'
            bits(0xc1232fd0), bits(0xc2cff1b5), bits(0xc2bfffec), bits(0xc2c5af32), bits(0xc16580a1),
            -90.16119f, -88.72559f, 9.391452f, -9.391452f, -88.709946f, -103.97202f, -13.3539f,
        };
        int stride = 65521;
        int line = (int) ((1L << 32) / stride) + 1;
        float[] x = java.util.Arrays.copyOf(worst, worst.length + line);
        for (int i = 0; i < line; i++) {
            x[worst.length + i] = bits((int) ((long) i * stride));
        }
        return x;
    }

    private static float bits(int bits) {
        return Float.intBitsToFloat(bits);
    }

    /** A dense sweep of [-20, 20] and the exponential's whole range. */
    private static float[] grid() {
        int n = 40_001;
        float[] x = new float[n + 4000];
        for (int i = 0; i < n; i++) {
            x[i] = -20f + 40f * i / (n - 1);
        }
        for (int i = 0; i < 4000; i++) {
            x[n + i] = -110f + 200f * i / 3999;
        }
        return x;
    }

    private static void checkForward(Unary op, float param, float[] x) {
        int n = x.length;
        float[] expected = new float[n];
        float[] actual = new float[n];
        SCALAR.unary(op, param, x, expected, n);
        SIMD.unary(op, param, x, actual, n);
        assertWithin(expected, actual, n, forwardUlps(op), forwardAbs(op), op + " " + param + " n=" + n);
    }

    private static void checkBackward(Unary op, float[] x) {
        int n = x.length;
        float[] g = new float[n];
        Random rnd = new Random(n);
        for (int i = 0; i < n; i++) {
            g[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        checkBackward(op, param(op), x, g, 2); // g is drawn from [-2, 2)
    }

    private static void checkBackward(Unary op, float param, float[] x, float[] g, double maxG) {
        int n = x.length;
        float[] y = new float[n];
        SCALAR.unary(op, param, x, y, n);
        float[] expected = new float[n];
        float[] actual = new float[n];
        SCALAR.unaryBackward(op, param, g, x, y, expected, n);
        SIMD.unaryBackward(op, param, g, x, y, actual, n);
        assertWithin(expected, actual, n, backwardUlps(op), backwardAbs(op, maxG), op + "' " + param + " n=" + n + " |g|<=" + maxG);
    }

    /** Bit for bit where the bound is 0 ulp, else within the ulps or the absolute tolerance. */
    private static void assertWithin(float[] expected, float[] actual, int n, long ulps, double abs, String what) {
        if (ulps == 0) {
            assertBitEqual(expected, actual, n, what);
        } else {
            assertClose(expected, actual, n, ulps, abs, what);
        }
    }

    /** The ulps each forward kernel's Javadoc in {@code UnaryLoops} states; 0 is bit for bit. */
    private static long forwardUlps(Unary op) {
        return switch (op) {
            case NEG, ABS, SQRT, POW, RELU, LEAKY_RELU, RSQRT -> 0;
            case EXP, LOG, TANH -> 1;
            case SIN, COS -> 2;
            case ERF, SIGMOID, SOFTPLUS, LOG1P, EXPM1, ELU, SILU -> 3;
            case GELU -> 5;
        };
    }

    /** The absolute tolerance beside {@link #forwardUlps}: where σ(x) or Φ(x) is a subnormal float. */
    private static double forwardAbs(Unary op) {
        return op == Unary.SILU || op == Unary.GELU ? 1e-43 : 0;
    }

    /** The ulps each derivative kernel's Javadoc in {@code UnaryLoops} states; 0 is bit for bit. */
    private static long backwardUlps(Unary op) {
        return switch (op) {
            case NEG, ABS, EXP, LOG, SQRT, POW, RELU, LEAKY_RELU -> 0;
            case LOG1P -> 1;
            case ELU -> 3;
            case SIGMOID, TANH, SOFTPLUS, SIN, COS, EXPM1 -> 4;
            case ERF, GELU -> 5;
            case RSQRT, SILU -> 6;
        };
    }

    /**
     * The absolute tolerance beside {@link #backwardUlps}, for gradients up to {@code maxG} in
     * magnitude: where silu's σ(x) or gelu's e^{-x²/2} is subnormal (up to 67 and 7 of the
     * smallest subnormal lost), and where f'(x) of elu, erf, softplus and expm1 is itself
     * subnormal, its lost bits (up to four of the smallest subnormal) times g.
     */
    private static double backwardAbs(Unary op, double maxG) {
        return maxG * switch (op) {
            case SILU -> 0x1p-142;
            case GELU -> 0x1p-146;
            case ELU, ERF, SOFTPLUS, EXPM1 -> 0x1p-147;
            default -> 0;
        };
    }
}
