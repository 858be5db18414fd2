package dev.autodiff.kernel;

import dev.autodiff.AdamStep;

/**
 * The scalar definition of every formula the kernels compute: the {@link Unary} functions
 * and their derivatives, the {@link Binary} functions, the maximum that reductions take,
 * the in-place updates, and the loop of one matrix product. {@link ScalarKernels} is these
 * in loops; a faster kernel calls them for the elements its vectors do not cover, and is
 * tested against them.
 *
 * <p>Accuracy of {@code apply} and of {@code derivative} ({@code g·f'(x)} with
 * {@code y = f(x)} as given), in ulps of the exact result, over the whole float line, as
 * measured against a 40-digit reference (the largest error seen in brackets):
 * <ul>
 *   <li>exact: NEG, ABS, RELU, and their derivatives;</li>
 *   <li>at most 0.501 (correctly rounded but for the rounding of a double result to float):
 *       EXP, LOG, SQRT, POW, LEAKY_RELU, SIGMOID, TANH, SOFTPLUS, SILU, SIN, COS, LOG1P, EXPM1,
 *       ELU, and the derivatives of LOG, POW, ERF, LEAKY_RELU, SIGMOID, TANH, SOFTPLUS, SILU,
 *       SIN, COS, LOG1P, RSQRT, ELU;</li>
 *   <li>RSQRT within 1.5 (1.32): 1 over the float square root, two roundings, as the vector
 *       kernels compute it;</li>
 *   <li>ERF within 1 (0.54): the erfc fit's 1.2e-7 above 1 in magnitude;</li>
 *   <li>GELU within 2.5 (2.09): the same fit in the lower tail, where Φ is tiny;</li>
 *   <li>the derivatives of EXP and SQRT within 1.5 (1.25, 1.40), formed in float from the
 *       rounded y, of EXPM1 within 1.5 (1.30), from e^x rounded to float, and of GELU within
 *       1.5 (0.81).</li>
 * </ul>
 */
public final class ScalarMath {
    private ScalarMath() {}

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    /** Below this magnitude erf and erfc come from erf's Taylor series, above from the fit of erfc. */
    private static final double SERIES_LIMIT = 1.0;

    /** {@code op(x)}. */
    public static float apply(Unary op, float param, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case POW -> (float) Math.pow(x, param);
            case ERF -> (float) erf(x);
            case RELU -> x > 0f ? x : (x == x ? 0f : x);
            case LEAKY_RELU -> x > 0f ? x : x * param;
            case SIGMOID -> (float) sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case GELU -> (float) (x * normalCdf(x));
            case SOFTPLUS -> (float) softplus(x);
            case SILU -> (float) (x * sigmoid(x));
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case LOG1P -> (float) Math.log1p(x);
            case EXPM1 -> (float) Math.expm1(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case ELU -> x > 0f ? x : (float) (param * Math.expm1(x));
        };
    }

    /** {@code op(a, b)}. */
    public static float apply(Binary op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case GREATER -> a > b ? 1f : 0f;
            case EQUAL -> a == b ? 1f : 0f;
            case GREATER_EQUAL -> a >= b ? 1f : 0f;
        };
    }

    /** {@code g * op'(x)}, where {@code y = op(x)}. */
    public static float derivative(Unary op, float param, float g, float x, float y) {
        return switch (op) {
            case NEG -> -g;
            case ABS -> x > 0f ? g : x < 0f ? -g : 0f * g;
            case EXP -> g * y;
            case LOG -> g / x;
            case SQRT -> g * 0.5f / y;
            // x^0 is 1 everywhere, 0^0 and NaN^0 included: its slope is 0, not 0·x^-1 (NaN at 0), as in PyTorch and JAX
            case POW -> param == 0f ? 0f * g : (float) ((double) g * param * Math.pow(x, param - 1.0));
            case ERF -> (float) (g * TWO_OVER_SQRT_PI * Math.exp(-(double) x * x));
            case RELU -> x > 0f ? g : 0f * g;
            case LEAKY_RELU -> x > 0f ? g : g * param;
            case SIGMOID -> (float) (g * logisticSlope(x));
            case TANH -> (float) (g * 4.0 * logisticSlope(2.0 * x));
            case GELU -> (float) (g * (normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x)));
            case SOFTPLUS -> (float) (g * sigmoid(x));
            case SILU -> {
                double s = sigmoid(x);
                yield (float) (g * (s + x * s * (1.0 - s)));
            }
            case SIN -> (float) (g * Math.cos(x));
            case COS -> (float) (-g * Math.sin(x));
            case LOG1P -> (float) (g / (1.0 + x));
            case EXPM1 -> g * (float) Math.exp(x); // e^x rounded first, as vectors must, so both overflow alike
            case RSQRT -> {
                double r = 1.0 / Math.sqrt(x); // -0.5·r³ keeps the sign rsqrt(-0) = -∞ gives
                yield (float) (-0.5 * g * r * r * r);
            }
            // from x, as PyTorch's elu_backward: y + alpha would cancel where e^x is tiny
            case ELU -> x > 0f ? g : (float) ((double) g * param * Math.exp(x));
        };
    }

    /**
     * The running maximum of a reduction after seeing {@code v}: {@code v} if it is larger
     * or NaN, so that a NaN anywhere gives NaN, and among equal values the first (which
     * tells +0 from -0).
     */
    public static float runningMax(float max, float v) {
        return v > max || v != v ? v : max;
    }

    /** {@code alpha·x + beta·y}, a momentum or running-average update. */
    public static float axpby(float alpha, float x, float beta, float y) {
        return alpha * x + beta * y;
    }

    /** {@code alpha·x² + beta·y}, a running second moment. */
    public static float squareAxpby(float alpha, float x, float beta, float y) {
        return alpha * x * x + beta * y;
    }

    /** {@code y + alpha·num / (√den + eps)}, an adaptive step. */
    public static float addRatio(float alpha, float num, float den, float eps, float y) {
        return y + alpha * num / ((float) Math.sqrt(den) + eps);
    }

    /** Element {@code i} of an Adam step: the parameter shrunk, its two moments, then its step ({@link AdamStep}). */
    public static void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param, int i) {
        float g = decayed(grad, step.weightDecay(), param, i);
        float p = step.shrink() * param[i];
        expAvg[i] = axpby(step.gradScale1(), g, step.beta1(), expAvg[i]);
        expAvgSq[i] = squareAxpby(step.gradScale2(), g, step.beta2(), expAvgSq[i]);
        param[i] = addRatio(step.rate(), expAvg[i], expAvgSq[i], step.eps(), p);
    }

    /** Element {@code i} of a momentum step ({@link Kernels#momentumStep}): the decayed gradient, the buffer, the parameter. */
    public static void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer, float rate,
                                    float[] param, int i) {
        float d = decayed(grad, decay, param, i);
        buffer[i] = axpby(gradScale, d, momentum, buffer[i]);
        param[i] = axpby(rate, buffer[i], 1f, param[i]);
    }

    /** Element {@code i} of a Nesterov momentum step ({@link Kernels#nesterovStep}): the decayed gradient, the buffer, the parameter. */
    public static void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate, float[] param,
                                    int i) {
        float d = decayed(grad, decay, param, i);
        buffer[i] = axpby(1f, d, momentum, buffer[i]);
        param[i] = axpby(rate, axpby(momentum, buffer[i], 1f, d), 1f, param[i]);
    }

    /** Element {@code i} of an RMSprop or Adagrad step: the decayed gradient, the running sum of squares, the step. */
    public static void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate,
                               float eps, float[] param, int i) {
        float g = decayed(grad, decay, param, i);
        sumSq[i] = squareAxpby(gradScale, g, beta, sumSq[i]);
        param[i] = addRatio(rate, g, sumSq[i], eps, param[i]);
    }

    /** {@code grad[i]} with L2 weight decay: {@code decay·param[i] + grad[i]}, or {@code grad[i]} itself for a decay of 0. */
    private static float decayed(float[] grad, float decay, float[] param, int i) {
        return decay == 0 ? grad[i] : axpby(decay, param[i], 1f, grad[i]);
    }

    /** {@code x} limited to {@code [lo, hi]}; NaN stays NaN. */
    public static float clamp(float x, float lo, float hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    /**
     * {@code C += op(A)·op(B)} for one product, the reference loop: {@code op(A)} is m×k,
     * stored m×k from {@code ao}, or k×m when {@code transA}; {@code op(B)} is k×n, stored
     * k×n from {@code bo}, or n×k when {@code transB}; C is m×n from {@code co}. Each
     * element of C adds its k products in order.
     */
    public static void addProduct(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int ao, float[] b, int bo, float[] c, int co) {
        addProductRows(transA, transB, m, n, k, a, ao, b, bo, c, co, 0, m);
    }

    /** {@link #addProduct} for rows {@code rowFrom} (inclusive) to {@code rowTo} (exclusive) of C only. */
    public static void addProductRows(boolean transA, boolean transB, int m, int n, int k,
                                      float[] a, int ao, float[] b, int bo, float[] c, int co, int rowFrom, int rowTo) {
        for (int i = rowFrom; i < rowTo; i++) {
            int ci = co + i * n;
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[ao + p * m + i] : a[ao + i * k + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bo + j * k + p];
                    }
                } else {
                    int bp = bo + p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    /** The logistic function, without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The logistic function's derivative {@code σ(x)·σ(-x)}, as {@code e/(1 + e)²} with
     * {@code e = e^-|x|}: no {@code 1 - σ} cancels, so it keeps its relative accuracy where
     * σ saturates. {@code 1 - tanh²(x)} is {@code 4·logisticSlope(2x)}.
     */
    public static double logisticSlope(double x) {
        double e = Math.exp(-Math.abs(x));
        double d = 1.0 + e;
        return e / (d * d);
    }

    /** {@code log(1 + e^x)} as {@code max(x, 0) + log1p(e^-|x|)}, exact for large |x|. */
    public static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The standard normal CDF Φ(x): {@code (1 + erf(x/√2))/2}, and {@code erfc(-x/√2)/2} for
     * negative x, where {@code 1 + erf} would cancel (to nothing below x ≈ -8.5).
     */
    public static double normalCdf(double x) {
        double z = x * INV_SQRT_2;
        return x < 0 ? 0.5 * erfc(-z) : 0.5 * (1.0 + erf(z));
    }

    /**
     * The error function: its Taylor series below 1 in magnitude (to double precision),
     * elsewhere {@code 1 - erfc} with the Chebyshev fit of erfc from Numerical Recipes
     * (fractional error below 1.2e-7, enough for float32).
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        if (z < SERIES_LIMIT) {
            return erfSeries(x);
        }
        double r = 1.0 - erfcFit(z);
        return x >= 0 ? r : -r;
    }

    /**
     * The complementary error function {@code 1 - erf(x)}, with the relative error of the
     * fit (below 1.2e-7) also where it is tiny, for large x.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        if (z < SERIES_LIMIT) {
            return 1.0 - erfSeries(x);
        }
        double r = erfcFit(z);
        return x >= 0 ? r : 2.0 - r;
    }

    /**
     * erf(x) for |x| < 1: {@code 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1))}, to the last term
     * that counts in double (at most 19). Below 1 the fit's 1e-7 would show: Φ(x) + xφ(x), the
     * GELU derivative, cancels to zero near x = -0.75 and would lose all its digits.
     */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n <= 19; n++) {
            term *= -x2 / n;
            double next = sum + term / (2 * n + 1);
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * The Numerical Recipes fit {@code erfc(z) = t·e^{-z² + q(t)}}, {@code t = 1/(1 + z/2)}:
     * {@code ERFC_FIT[i]} is q's coefficient of {@code t^i}.
     */
    private static final double[] ERFC_FIT = {-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277};

    /** A copy of the coefficients of q in the erfc fit, that of {@code t^i} at i (for the SIMD kernels' own evaluation). */
    public static double[] erfcFitCoefficients() {
        return ERFC_FIT.clone();
    }

    /** erfc(z) for z >= 0 by the Numerical Recipes fit. */
    private static double erfcFit(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        double rest = 0; // q(t) - q(0) by Horner
        for (int i = ERFC_FIT.length - 1; i > 0; i--) {
            rest = t * (ERFC_FIT[i] + rest);
        }
        return t * Math.exp(-z * z + ERFC_FIT[0] + rest);
    }
}
