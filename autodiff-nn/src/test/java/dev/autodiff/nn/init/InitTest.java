package dev.autodiff.nn.init;

import dev.autodiff.Tensor;
import dev.autodiff.nn.init.Init.FanMode;
import dev.autodiff.nn.init.Init.Nonlinearity;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Initialisers checked statistically on 20,000 values: with that many samples the mean
 * is within about 4 standard errors and the variance within about 5% of their targets.
 */
class InitTest {
    static final int OUT = 200;
    static final int IN = 100;
    static final int N = OUT * IN;

    static double mean(Tensor t) {
        double s = 0;
        for (float v : t.toArray()) {
            s += v;
        }
        return s / t.size();
    }

    static double variance(Tensor t) {
        double m = mean(t);
        double s = 0;
        for (float v : t.toArray()) {
            s += (v - m) * (v - m);
        }
        return s / t.size();
    }

    static void assertUniform(Tensor t, double bound) {
        for (float v : t.toArray()) {
            assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
        }
        double var = bound * bound / 3;
        assertEquals(0, mean(t), 4 * Math.sqrt(var / N));
        assertEquals(var, variance(t), 0.05 * var);
    }

    static void assertNormal(Tensor t, double std) {
        assertEquals(0, mean(t), 4 * std / Math.sqrt(N));
        assertEquals(std * std, variance(t), 0.05 * std * std);
    }

    static Tensor weight() {
        return Tensor.zeros(OUT, IN);
    }

    @Test
    void constants() {
        Tensor t = weight();
        assertSame(t, Init.constant(t, 0.25f));
        assertEquals(0.25f, t.get(199, 99));
        assertEquals(1f, Init.ones(t).get(3, 4));
        assertEquals(0f, Init.zeros(t).get(3, 4));
    }

    @Test
    void uniformAndNormal() {
        Tensor u = Init.uniform(weight(), 1, 3, new SplittableRandom(1));
        for (float v : u.toArray()) {
            assertTrue(v >= 1 && v <= 3);
        }
        assertEquals(2, mean(u), 4 * Math.sqrt(1.0 / 3 / N));
        Tensor n = Init.normal(weight(), 5, 2, new SplittableRandom(2));
        assertEquals(5, mean(n), 4 * 2 / Math.sqrt(N));
        assertEquals(4, variance(n), 0.2);
    }

    @Test
    void xavier() {
        double gain = Nonlinearity.TANH.gain(Double.NaN);
        assertUniform(Init.xavierUniform(weight(), gain, new SplittableRandom(3)), gain * Math.sqrt(6.0 / (IN + OUT)));
        assertNormal(Init.xavierNormal(weight(), 1, new SplittableRandom(4)), Math.sqrt(2.0 / (IN + OUT)));
    }

    @Test
    void kaimingByFanAndNonlinearity() {
        assertUniform(Init.kaimingUniform(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new SplittableRandom(5)),
                Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(IN));
        assertNormal(Init.kaimingNormal(weight(), 0, FanMode.FAN_OUT, Nonlinearity.RELU, new SplittableRandom(6)),
                Math.sqrt(2) / Math.sqrt(OUT));
        assertNormal(Init.kaimingNormal(weight(), 0.2, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, new SplittableRandom(7)),
                Math.sqrt(2 / 1.04) / Math.sqrt(IN));
        // PyTorch's Linear: kaiming_uniform(a=√5) gives U(±1/√fan_in).
        assertUniform(Init.kaimingUniform(weight(), Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU,
                new SplittableRandom(8)), 1 / Math.sqrt(IN));
    }

    @Test
    void gainsMatchCalculateGain() {
        assertEquals(1, Init.gain(Nonlinearity.LINEAR, Double.NaN));
        assertEquals(1, Init.gain(Nonlinearity.SIGMOID, Double.NaN));
        assertEquals(5.0 / 3, Init.gain(Nonlinearity.TANH, Double.NaN), 1e-15);
        assertEquals(Math.sqrt(2), Init.gain(Nonlinearity.RELU, Double.NaN), 1e-15);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.gain(Nonlinearity.LEAKY_RELU, Double.NaN), 1e-15);
        assertEquals(Math.sqrt(2 / 1.25), Init.gain(Nonlinearity.LEAKY_RELU, 0.5), 1e-15);
        assertEquals(0.75, Init.gain(Nonlinearity.SELU, Double.NaN));
    }

    @Test
    void fansOfConvolutionWeights() {
        Tensor conv = Tensor.zeros(16, 8, 3, 3);
        assertEquals(72, Init.fanIn(conv));
        assertEquals(144, Init.fanOut(conv));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(5)));
    }

    @Test
    void sameSeedSameValues() {
        Tensor a = Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new SplittableRandom(42));
        Tensor b = Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new SplittableRandom(42));
        assertArrayEquals(a.toArray(), b.toArray());
        Tensor c = Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new SplittableRandom(43));
        assertTrue(a.get(0, 0) != c.get(0, 0));
    }
}
