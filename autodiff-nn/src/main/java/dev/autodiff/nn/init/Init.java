package dev.autodiff.nn.init;

import dev.autodiff.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Fills tensors in place with initial values, as {@code torch.nn.init}: constants,
 * uniform and normal values, and the Xavier (Glorot) and Kaiming (He) schemes. Every
 * method writes in place ({@link Tensor#writeInPlace}), draws from the given seeded generator
 * (so a seed gives the same values) and returns the tensor it filled.
 *
 * <p>Fans follow PyTorch: for a weight {@code [out, in, k...]}, fan_in is
 * {@code in·Πk} and fan_out is {@code out·Πk}.
 */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initialiser preserves the variance of. */
    public enum FanMode {
        /** Preserves the variance of the activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of the gradients in the backward pass. */
        FAN_OUT
    }

    /** The non-linearities {@link #gain} knows, as {@code torch.nn.init.calculate_gain}. */
    public enum Nonlinearity {
        LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SELU;

        /** The recommended gain; {@code param} is the negative slope of LEAKY_RELU (PyTorch's default 0.01 when NaN). */
        public double gain(double param) {
            return switch (this) {
                case LINEAR, SIGMOID -> 1.0;
                case TANH -> 5.0 / 3.0;
                case RELU -> Math.sqrt(2.0);
                case LEAKY_RELU -> {
                    double slope = Double.isNaN(param) ? 0.01 : param;
                    yield Math.sqrt(2.0 / (1 + slope * slope));
                }
                case SELU -> 3.0 / 4.0;
            };
        }
    }

    /** {@code torch.nn.init.calculate_gain(nonlinearity, param)}. */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return nonlinearity.gain(param);
    }

    /** Fills with zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0f);
    }

    /** Fills with ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1f);
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, float value) {
        return t.writeInPlace(d -> Arrays.fill(d, value));
    }

    /** Fills with values uniform in {@code [low, high)}. */
    public static Tensor uniform(Tensor t, double low, double high, RandomGenerator rng) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("Init.uniform: low " + low + " exceeds high " + high);
        }
        return t.writeInPlace(d -> {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (low + (high - low) * rng.nextDouble());
            }
        });
    }

    /** Fills with normal values of the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: standard deviation " + std + " is negative");
        }
        return t.writeInPlace(d -> {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (mean + std * rng.nextGaussian());
            }
        });
    }

    /** Glorot uniform: {@code U(-b, b)} with {@code b = gain·√(6 / (fan_in + fan_out))}. */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, rng);
    }

    /** Glorot normal: {@code N(0, σ²)} with {@code σ = gain·√(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), rng);
    }

    /**
     * He uniform: {@code U(-b, b)} with {@code b = √3·gain/√fan}; {@code a} is the negative
     * slope for LEAKY_RELU (ignored by the others).
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, RandomGenerator rng) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, rng);
    }

    /** He normal: {@code N(0, σ²)} with {@code σ = gain/√fan}; {@code a} as in {@link #kaimingUniform}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, RandomGenerator rng) {
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), rng);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int fan = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
        return nonlinearity.gain(a) / Math.sqrt(fan);
    }

    /** The number of inputs of each output unit: {@code shape[1]·Π shape[2..]}. */
    public static int fanIn(Tensor t) {
        return checkedShape(t)[1] * receptiveField(t.shape());
    }

    /** The number of outputs of each input unit: {@code shape[0]·Π shape[2..]}. */
    public static int fanOut(Tensor t) {
        return checkedShape(t)[0] * receptiveField(t.shape());
    }

    private static int[] checkedShape(Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("Init: fan in and fan out need a tensor of rank 2 or more, got shape "
                    + Arrays.toString(t.shape()));
        }
        return t.shape();
    }

    private static int receptiveField(int[] shape) {
        int r = 1;
        for (int d = 2; d < shape.length; d++) {
            r *= shape[d];
        }
        return r;
    }
}
