package dev.autodiff.kernel;

import static dev.autodiff.kernel.HighPrecision.HALF;
import static dev.autodiff.kernel.HighPrecision.MC;
import static dev.autodiff.kernel.HighPrecision.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link Unary} function of {@link ScalarMath} and its fused derivative
 * {@code g·f'(x)} against {@link HighPrecision} over the whole float line: a grid of step
 * 1/32 over [-20, 20], where the activations bend and saturate, and two values in every
 * binade from the smallest subnormal to the largest float, of both signs. The error is
 * counted in ulps of the exact result rounded to float (subnormal ulps below
 * {@code Float.MIN_NORMAL}); the bounds are those {@link ScalarMath} documents.
 */
class ScalarMathAccuracyTest {

    /** Exponents of {@code POW} besides the 2 of {@code square}. */
    private static final float[] EXPONENTS = {2f, 0.5f, -1f, 1.7f};
    private static final float SLOPE = 0.01f;
    /** Half an ulp, and the hair a double result adds when it is rounded to float. */
    private static final double CORRECTLY_ROUNDED = 0.501;
    /** Stands for a result beyond any float, times any factor a test applies: it rounds to infinity. */
    private static final BigDecimal OVERFLOW = BigDecimal.TEN.pow(400);

    /** The documented bound of {@code op(x)}, in ulps (largest error seen: see {@link ScalarMath}). */
    static double forwardBound(Unary op) {
        return switch (op) {
            case NEG, ABS, RELU -> 0;
            case EXP, LOG, SQRT, POW, LEAKY_RELU, SIGMOID, TANH, SOFTPLUS, SILU, SIN, COS, LOG1P, EXPM1, ELU ->
                    CORRECTLY_ROUNDED;
            case ERF -> 1;
            case GELU -> 2.5;
            case RSQRT -> 1.5;
        };
    }

    /** The documented bound of {@code g·op'(x)}, in ulps. */
    static double backwardBound(Unary op) {
        return switch (op) {
            case NEG, ABS, RELU -> 0;
            case LOG, POW, ERF, LEAKY_RELU, SIGMOID, TANH, SOFTPLUS, SILU, SIN, COS, LOG1P, RSQRT, ELU ->
                    CORRECTLY_ROUNDED;
            case EXP, SQRT, GELU, EXPM1 -> 1.5;
        };
    }

    /** The finite floats the functions are measured at. */
    static float[] points() {
        List<Float> x = new ArrayList<>();
        for (int i = -640; i <= 640; i++) {
            x.add(i / 32f);
        }
        for (int e = -149; e <= 127; e++) {
            for (float m : new float[] {1f, 1.37f}) {
                float v = Math.scalb(m, e);
                if (Float.isFinite(v) && v != 0f) {
                    x.add(v);
                    x.add(-v);
                }
            }
        }
        x.add(Float.MAX_VALUE);
        x.add(-Float.MAX_VALUE);
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.get(i);
        }
        return out;
    }

    /** The largest error seen and where. */
    record Worst(double ulps, float x, float actual, BigDecimal exact) {
        Worst max(Worst other) {
            return other.ulps > ulps ? other : this;
        }

        @Override
        public String toString() {
            return String.format("%.3f ulp at x = %s (got %s, exact %s)", ulps, x, actual, exact.round(new java.math.MathContext(12)));
        }
    }

    /** |actual - exact| in ulps of the exact value rounded to float; infinite if the float is not the exact one's overflow. */
    static double ulps(float actual, BigDecimal exact) {
        float rounded = exact.floatValue();
        if (Float.isInfinite(rounded)) {
            return actual == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        if (!Float.isFinite(actual)) {
            return Double.POSITIVE_INFINITY;
        }
        BigDecimal error = of(actual).subtract(exact).abs();
        return error.divide(of(Math.ulp(rounded)), MC).doubleValue();
    }

    /** {@code op(x)} exactly ({@link #OVERFLOW} for an infinite one), or null where the float result is NaN. */
    static BigDecimal exact(Unary op, float param, float xf) {
        BigDecimal x = of(xf);
        return switch (op) {
            case NEG -> x.negate();
            case ABS -> x.abs();
            case EXP -> xf > 100 ? OVERFLOW : HighPrecision.exp(x);
            case LOG -> xf > 0 ? HighPrecision.log(x) : xf == 0 ? OVERFLOW.negate() : null;
            case SQRT -> xf >= 0 ? x.sqrt(MC) : null;
            case POW -> power(x, param);
            case ERF -> HighPrecision.erf(x);
            case RELU -> x.max(BigDecimal.ZERO);
            case LEAKY_RELU -> xf > 0 ? x : x.multiply(of(param));
            case SIGMOID -> sigmoid(x);
            case TANH -> {
                // tanh|x| = -m/(2 + m) with m = e^(-2|x|) - 1, which keeps its digits for tiny x
                BigDecimal m = HighPrecision.expm1(x.abs().multiply(BigDecimal.valueOf(-2)));
                BigDecimal t = m.negate().divide(BigDecimal.TWO.add(m), MC);
                yield xf < 0 ? t.negate() : t;
            }
            case GELU -> x.multiply(normalCdf(x), MC);
            case SOFTPLUS -> x.max(BigDecimal.ZERO).add(HighPrecision.log1p(HighPrecision.exp(x.abs().negate())), MC);
            case SILU -> x.multiply(sigmoid(x), MC);
            case SIN -> HighPrecision.sin(x);
            case COS -> HighPrecision.cos(x);
            case LOG1P -> xf > -1 ? HighPrecision.log1p(x) : xf == -1 ? OVERFLOW.negate() : null;
            case EXPM1 -> xf > 100 ? OVERFLOW : HighPrecision.expm1(x);
            case RSQRT -> xf > 0 ? BigDecimal.ONE.divide(x.sqrt(MC), MC) : xf == 0 ? OVERFLOW : null;
            case ELU -> xf > 0 ? x : HighPrecision.expm1(x).multiply(of(param), MC);
        };
    }

    /** {@code op'(x)} exactly ({@link #OVERFLOW} for an infinite one), or null where the float result is NaN. */
    static BigDecimal exactDerivative(Unary op, float param, float xf) {
        BigDecimal x = of(xf);
        return switch (op) {
            case NEG -> BigDecimal.ONE.negate();
            case ABS -> xf > 0 ? BigDecimal.ONE : xf < 0 ? BigDecimal.ONE.negate() : BigDecimal.ZERO;
            case EXP -> xf > 100 ? OVERFLOW : HighPrecision.exp(x);
            case LOG -> xf != 0 ? BigDecimal.ONE.divide(x, MC) : OVERFLOW;
            case SQRT -> xf > 0 ? BigDecimal.ONE.divide(x.sqrt(MC).multiply(BigDecimal.TWO), MC) : xf == 0 ? OVERFLOW : null;
            case POW -> {
                BigDecimal p = power(x, param - 1f);
                yield p == null ? null : p.multiply(of(param), MC);
            }
            case ERF -> HighPrecision.exp(x.multiply(x).negate()).multiply(BigDecimal.TWO, MC).divide(HighPrecision.SQRT_PI, MC);
            case RELU -> xf > 0 ? BigDecimal.ONE : BigDecimal.ZERO;
            case LEAKY_RELU -> xf > 0 ? BigDecimal.ONE : of(param);
            case SIGMOID -> logisticSlope(x);
            case TANH -> logisticSlope(x.multiply(BigDecimal.TWO)).multiply(BigDecimal.valueOf(4));
            case GELU -> normalCdf(x).add(x.multiply(normalPdf(x), MC), MC);
            case SOFTPLUS -> sigmoid(x);
            case SILU -> sigmoid(x).add(x.multiply(logisticSlope(x), MC), MC);
            case SIN -> HighPrecision.cos(x);
            case COS -> HighPrecision.sin(x).negate();
            // 1/(1 + x) also below -1, where log1p is NaN: the formula PyTorch's backward applies
            case LOG1P -> xf != -1 ? BigDecimal.ONE.divide(BigDecimal.ONE.add(x), MC) : OVERFLOW;
            case EXPM1 -> xf > 100 ? OVERFLOW : HighPrecision.exp(x);
            case RSQRT -> xf > 0 ? BigDecimal.ONE.divide(x.sqrt(MC).multiply(x), MC).multiply(HALF).negate()
                    : xf == 0 ? OVERFLOW.negate() : null;
            case ELU -> xf > 0 ? BigDecimal.ONE : HighPrecision.exp(x).multiply(of(param), MC);
        };
    }

    private static BigDecimal power(BigDecimal x, float p) {
        if (p == Math.rint(p) && Math.abs(p) < 8) {
            int n = (int) p;
            if (x.signum() == 0) {
                return n >= 0 ? (n == 0 ? BigDecimal.ONE : BigDecimal.ZERO) : OVERFLOW;
            }
            BigDecimal r = x.pow(Math.abs(n), MC);
            return n >= 0 ? r : BigDecimal.ONE.divide(r, MC);
        }
        if (x.signum() < 0) {
            return null;
        }
        if (x.signum() == 0) {
            return p > 0 ? BigDecimal.ZERO : OVERFLOW;
        }
        BigDecimal exponent = HighPrecision.log(x).multiply(of(p), MC);
        return exponent.compareTo(BigDecimal.valueOf(1000)) > 0 ? OVERFLOW : HighPrecision.exp(exponent);
    }

    private static BigDecimal sigmoid(BigDecimal x) {
        BigDecimal e = HighPrecision.exp(x.abs().negate());
        BigDecimal s = BigDecimal.ONE.divide(BigDecimal.ONE.add(e), MC);
        return x.signum() >= 0 ? s : e.multiply(s, MC);
    }

    private static BigDecimal logisticSlope(BigDecimal x) {
        BigDecimal e = HighPrecision.exp(x.abs().negate());
        BigDecimal d = BigDecimal.ONE.add(e);
        return e.divide(d.multiply(d), MC);
    }

    private static BigDecimal normalCdf(BigDecimal x) {
        return HighPrecision.erfc(x.negate().divide(HighPrecision.SQRT_2, MC)).multiply(HALF);
    }

    private static BigDecimal normalPdf(BigDecimal x) {
        return HighPrecision.exp(x.multiply(x).multiply(HALF).negate()).divide(HighPrecision.SQRT_2PI, MC);
    }

    private static float[] params(Unary op) {
        return switch (op) {
            case POW -> EXPONENTS;
            case LEAKY_RELU -> new float[] {SLOPE};
            case ELU -> new float[] {1f, 1.5f};
            default -> new float[] {0f};
        };
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void forwardIsWithinItsBound(Unary op) {
        for (float param : params(op)) {
            Worst worst = new Worst(0, 0f, 0f, BigDecimal.ZERO);
            for (float x : points()) {
                float actual = ScalarMath.apply(op, param, x);
                BigDecimal exact = exact(op, param, x);
                if (exact == null) {
                    assertTrue(Float.isNaN(actual), op + "(" + x + ") must be NaN, got " + actual);
                    continue;
                }
                worst = worst.max(new Worst(ulps(actual, exact), x, actual, exact));
            }
            assertTrue(worst.ulps() <= forwardBound(op), op + " " + param + ": " + worst);
        }
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void fusedDerivativeIsWithinItsBound(Unary op) {
        Random rnd = new Random(op.ordinal());
        for (float param : params(op)) {
            Worst worst = new Worst(0, 0f, 0f, BigDecimal.ZERO);
            for (float x : points()) {
                float g = rnd.nextBoolean() ? 1f : (float) (rnd.nextDouble() * 4 - 2);
                float y = ScalarMath.apply(op, param, x);
                float actual = ScalarMath.derivative(op, param, g, x, y);
                BigDecimal slope = exactDerivative(op, param, x);
                if (slope == null) {
                    assertTrue(Float.isNaN(actual), op + "'(" + x + ") must be NaN, got " + actual);
                    continue;
                }
                BigDecimal exact = slope.multiply(of(g), MC);
                worst = worst.max(new Worst(ulps(actual, exact), x, actual, exact));
            }
            assertTrue(worst.ulps() <= backwardBound(op), op + "' " + param + ": " + worst);
        }
    }

    /** Known values to 15 digits and agreement of the two ways to erfc: the reference is right. */
    @Test
    void theReferenceReproducesKnownValues() {
        assertClose("2.71828182845904523536028747135", HighPrecision.exp(BigDecimal.ONE));
        assertClose("0.693147180559945309417232121458", HighPrecision.log(BigDecimal.valueOf(2)));
        assertClose("-103.278929903431851103", HighPrecision.log(of(Float.MIN_VALUE)));
        assertClose("0.520499877813046537682746653892", HighPrecision.erf(HALF));
        assertClose("2.20904969985854413727761295823e-5", HighPrecision.erfc(BigDecimal.valueOf(3)));
        assertClose("1.54172579002800188521596734869e-8", HighPrecision.erfc(BigDecimal.valueOf(4)));
        assertClose("2.08848758376254475700078629495e-45", HighPrecision.erfc(BigDecimal.TEN));
        assertClose("9.99950003333083353e-5", HighPrecision.log1p(new BigDecimal("1e-4")));
        assertClose("-1.99999999999999999999999999999998e-30", HighPrecision.expm1(new BigDecimal("-2e-30")));
        for (double x : new double[] {3, 3.5, 5, 8, 12}) {
            BigDecimal at = BigDecimal.valueOf(x);
            BigDecimal deeper = HighPrecision.continuedFraction(at, 2 * HighPrecision.depth(x));
            BigDecimal used = HighPrecision.continuedFraction(at, HighPrecision.depth(x));
            assertTrue(deeper.subtract(used).abs().compareTo(deeper.movePointLeft(38)) < 0, "continued fraction at " + x);
        }
        // the series with its guard digits just below the switch, the continued fraction at it: 1e-10 apart, erfc' ≈ -1.4e-4
        BigDecimal below = HighPrecision.erfc(new BigDecimal("2.9999999999"));
        BigDecimal above = HighPrecision.erfc(BigDecimal.valueOf(3));
        assertEquals(1.39e-14, below.subtract(above).doubleValue(), 0.01e-14);
        Random rnd = new Random(1);
        for (int i = 0; i < 200; i++) {
            double x = rnd.nextDouble() * 200 - 100;
            assertEquals(StrictMath.exp(x), HighPrecision.exp(of(x)).doubleValue(), Math.ulp(StrictMath.exp(x)), "exp " + x);
            double y = Math.abs(x) + 1e-3;
            assertEquals(StrictMath.log(y), HighPrecision.log(of(y)).doubleValue(), Math.ulp(StrictMath.log(y)), "log " + y);
        }
    }

    private static void assertClose(String expected, BigDecimal actual) {
        BigDecimal e = new BigDecimal(expected);
        assertTrue(e.subtract(actual).abs().compareTo(e.abs().movePointLeft(14)) < 0, expected + " vs " + actual);
    }
}
