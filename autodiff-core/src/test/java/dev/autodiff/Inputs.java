package dev.autodiff;

import java.util.SplittableRandom;

/**
 * Seeded random test inputs with the margins finite differences need: values kept away
 * from a kink (0 for relu and abs), positive values for log and sqrt, and values with
 * distinct gaps for max so that no step of a difference quotient changes the winner.
 */
final class Inputs {
    private final SplittableRandom rng;

    Inputs(long seed) {
        rng = new SplittableRandom(seed);
    }

    /** Standard normal values times {@code scale}. */
    Tensor normal(float scale, int... shape) {
        return Tensor.randn(rng, shape).mul(scale).detach();
    }

    /** Standard normal values. */
    Tensor normal(int... shape) {
        return normal(1f, shape);
    }

    /** Uniform values in {@code [low, high)}. */
    Tensor uniform(float low, float high, int... shape) {
        return Tensor.uniform(rng, low, high, shape);
    }

    /** Values of either sign with magnitude in {@code [0.2, 2)}: at least 0.2 from zero. */
    Tensor awayFromZero(int... shape) {
        Tensor t = uniform(0.2f, 2f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (rng.nextBoolean()) {
                d[i] = -d[i];
            }
        }
        return t;
    }

    /** Distinct values {@code -1 + 0.25·k} in a random order: any two differ by at least 0.25. */
    Tensor distinct(int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int[] order = new int[d.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = -1f + 0.25f * order[i];
        }
        return t;
    }

    /** {@code n} labels in {@code [0, classes)}. */
    int[] labels(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        return labels;
    }
}
