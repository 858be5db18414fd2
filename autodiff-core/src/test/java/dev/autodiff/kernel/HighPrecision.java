package dev.autodiff.kernel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Elementary functions in {@link BigDecimal} to about 35 significant digits, from their
 * series and continued fractions alone: the independent reference the float kernels are
 * measured against. Arguments whose results lie far outside the float range are cut off
 * ({@link #exp} returns 0 below -10⁴), which does not change any float rounding.
 */
final class HighPrecision {
    private HighPrecision() {}

    static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);
    private static final int DIGITS = MC.getPrecision();
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    static final BigDecimal HALF = new BigDecimal("0.5");
    static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
    static final BigDecimal SQRT_PI = PI.sqrt(MC);
    static final BigDecimal SQRT_2 = TWO.sqrt(MC);
    static final BigDecimal SQRT_2PI = PI.multiply(TWO).sqrt(MC);
    static final BigDecimal LN2 = atanhTimesTwo(BigDecimal.ONE.divide(BigDecimal.valueOf(3), new MathContext(DIGITS + 10)));

    /** A float or double exactly. */
    static BigDecimal of(double x) {
        return new BigDecimal(x);
    }

    /** {@code 2·atanh(s) = log((1 + s)/(1 - s))} by its series, for |s| <= 1/3. */
    private static BigDecimal atanhTimesTwo(BigDecimal s) {
        MathContext mc = new MathContext(DIGITS + 10);
        BigDecimal s2 = s.multiply(s, mc);
        BigDecimal power = s;
        BigDecimal sum = s;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(DIGITS + 8);
        for (int n = 1; power.abs().compareTo(eps.multiply(sum.abs().max(eps))) > 0; n++) {
            power = power.multiply(s2, mc);
            sum = sum.add(power.divide(BigDecimal.valueOf(2L * n + 1), mc), mc);
        }
        return sum.multiply(TWO, mc);
    }

    /** 2^k exactly. */
    private static BigDecimal powerOfTwo(int k) {
        return k >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(k)) : new BigDecimal(BigInteger.valueOf(5).pow(-k), -k);
    }

    /** e^x: x = k·ln2 + r with |r| <= ln2/2, then the Taylor series of e^r. */
    static BigDecimal exp(BigDecimal x) {
        if (x.compareTo(BigDecimal.valueOf(-10_000)) < 0) {
            return BigDecimal.ZERO;
        }
        if (x.compareTo(BigDecimal.valueOf(10_000)) > 0) {
            throw new ArithmeticException("exp overflow: " + x);
        }
        MathContext mc = new MathContext(DIGITS + 10);
        int k = x.divide(LN2, mc).setScale(0, RoundingMode.HALF_EVEN).intValueExact();
        BigDecimal r = x.subtract(LN2.multiply(BigDecimal.valueOf(k), mc), mc);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(DIGITS + 8);
        for (int n = 1; term.abs().compareTo(eps) > 0; n++) {
            term = term.multiply(r, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        return sum.multiply(powerOfTwo(k), MC);
    }

    /** {@code e^x - 1}, by its own series below 1 in magnitude, where the subtraction would cancel. */
    static BigDecimal expm1(BigDecimal x) {
        if (x.abs().compareTo(BigDecimal.ONE) >= 0) {
            return exp(x).subtract(BigDecimal.ONE, MC);
        }
        MathContext mc = new MathContext(DIGITS + 10);
        BigDecimal term = x;
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(DIGITS + 8);
        for (int n = 2; term.abs().compareTo(eps.multiply(sum.abs())) > 0; n++) {
            term = term.multiply(x, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        return sum.round(MC);
    }

    /** The natural logarithm of x > 0: x = m·2^e with m near 1, then {@code 2·atanh((m-1)/(m+1))}. */
    static BigDecimal log(BigDecimal x) {
        if (x.signum() <= 0) {
            throw new ArithmeticException("log of " + x);
        }
        MathContext mc = new MathContext(DIGITS + 10);
        int e = (int) Math.round(Math.log(x.doubleValue()) / Math.log(2));
        BigDecimal m = x.multiply(powerOfTwo(-e));
        BigDecimal s = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), mc);
        return LN2.multiply(BigDecimal.valueOf(e), mc).add(atanhTimesTwo(s), MC);
    }

    /** {@code log(1 + u)} for u > -1, without losing the digits of a tiny u. */
    static BigDecimal log1p(BigDecimal u) {
        if (u.compareTo(BigDecimal.ONE) > 0 || u.compareTo(HALF.negate()) < 0) {
            return log(BigDecimal.ONE.add(u));
        }
        return atanhTimesTwo(u.divide(TWO.add(u), new MathContext(DIGITS + 10)));
    }

    /** π to 140 digits, by Machin's formula {@code π = 16·atan(1/5) − 4·atan(1/239)}. */
    private static final BigDecimal PI_140 = atanOfInverse(5).multiply(BigDecimal.valueOf(16))
            .subtract(atanOfInverse(239).multiply(BigDecimal.valueOf(4))).round(new MathContext(140));

    /** {@code atan(1/n)} by its series, to 150 digits. */
    private static BigDecimal atanOfInverse(int n) {
        MathContext mc = new MathContext(150);
        BigDecimal inverse = BigDecimal.ONE.divide(BigDecimal.valueOf(n), mc);
        BigDecimal inverse2 = inverse.multiply(inverse, mc);
        BigDecimal power = inverse;
        BigDecimal sum = inverse;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(150);
        for (int k = 1; power.compareTo(eps) > 0; k++) {
            power = power.multiply(inverse2, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            sum = k % 2 == 1 ? sum.subtract(term, mc) : sum.add(term, mc);
        }
        return sum;
    }

    /** sin x, reduced exactly enough for any float: x = k·π/2 + r with π to 140 digits. */
    static BigDecimal sin(BigDecimal x) {
        return sinOfQuadrant(x, 0);
    }

    /** cos x = sin(x + π/2), reduced as {@link #sin}. */
    static BigDecimal cos(BigDecimal x) {
        return sinOfQuadrant(x, 1);
    }

    /** {@code sin(x + shift·π/2)}: one Taylor series of r = x − k·π/2 picked by the quadrant of k + shift. */
    private static BigDecimal sinOfQuadrant(BigDecimal x, int shift) {
        MathContext mc = new MathContext(140);
        BigDecimal halfPi = PI_140.multiply(HALF, mc);
        BigInteger k = x.divide(halfPi, mc).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = x.subtract(halfPi.multiply(new BigDecimal(k), mc), mc);
        int quadrant = k.add(BigInteger.valueOf(shift)).mod(BigInteger.valueOf(4)).intValue();
        BigDecimal value = quadrant % 2 == 0 ? taylor(r, 1) : taylor(r, 0);
        return (quadrant >= 2 ? value.negate() : value).round(MC);
    }

    /** {@code Σ (-1)^n r^(2n+first)/(2n+first)!}: sin r for first = 1, cos r for first = 0 (|r| <= π/4). */
    private static BigDecimal taylor(BigDecimal r, int first) {
        MathContext mc = new MathContext(DIGITS + 20);
        BigDecimal r2 = r.multiply(r, mc).negate();
        BigDecimal term = first == 1 ? r : BigDecimal.ONE;
        BigDecimal sum = term;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(DIGITS + 18);
        for (int n = first + 1; term.abs().compareTo(eps.multiply(sum.abs().max(eps))) > 0; n += 2) {
            term = term.multiply(r2, mc).divide(BigDecimal.valueOf((long) n * (n + 1)), mc);
            sum = sum.add(term, mc);
        }
        return sum;
    }

    /** The error function. */
    static BigDecimal erf(BigDecimal x) {
        if (x.signum() < 0) {
            return erf(x.negate()).negate();
        }
        if (x.compareTo(BigDecimal.valueOf(3)) >= 0) {
            return BigDecimal.ONE.subtract(erfc(x), MC);
        }
        return erfSeries(x, DIGITS);
    }

    /** erf by its Taylor series, with guard digits for the cancellation among its terms (x² of them). */
    private static BigDecimal erfSeries(BigDecimal x, int digits) {
        int guard = (int) Math.ceil(x.doubleValue() * x.doubleValue() / Math.log(10)) + 10;
        MathContext mc = new MathContext(digits + guard);
        BigDecimal x2 = x.multiply(x, mc).negate();
        BigDecimal power = x;
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(digits + guard);
        for (int n = 1; ; n++) {
            power = power.multiply(x2, mc).divide(BigDecimal.valueOf(n), mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(eps) < 0) {
                break;
            }
        }
        return sum.multiply(TWO, mc).divide(SQRT_PI, MC);
    }

    /**
     * The complementary error function: {@code 1 - erf} from the series with the digits
     * that cancel added, below 3; above, Laplace's continued fraction
     * {@code e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}, evaluated from a
     * depth at which it has converged to the working precision.
     */
    static BigDecimal erfc(BigDecimal x) {
        if (x.signum() < 0) {
            return TWO.subtract(erfc(x.negate()), MC);
        }
        if (x.compareTo(BigDecimal.valueOf(3)) < 0) {
            int lost = (int) Math.ceil(x.doubleValue() * x.doubleValue() / Math.log(10)) + 2;
            return BigDecimal.ONE.subtract(erfSeries(x, DIGITS + lost), MC);
        }
        BigDecimal weight = exp(x.multiply(x, MC).negate());
        if (weight.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return weight.multiply(continuedFraction(x, depth(x.doubleValue())), MC).divide(SQRT_PI, MC);
    }

    /** A depth of the continued fraction that has converged to the working precision at x >= 3. */
    static int depth(double x) {
        return (int) Math.min(20_000, 40 + 4000 / (x * x));
    }

    /** {@code 1/(x + (1/2)/(x + (2/2)/(x + ...)))} with {@code depth} partial numerators. */
    static BigDecimal continuedFraction(BigDecimal x, int depth) {
        MathContext mc = new MathContext(DIGITS + 10);
        BigDecimal t = x;
        for (int n = depth; n >= 1; n--) {
            t = x.add(BigDecimal.valueOf(n).multiply(HALF).divide(t, mc), mc);
        }
        return BigDecimal.ONE.divide(t, mc);
    }
}
