package dev.autodiff.nn;

import dev.autodiff.Tensor;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout, as {@code torch.nn.Dropout}: in training, each element is zeroed with
 * probability {@code p} and the others are scaled by {@code 1/(1-p)} so that the expected
 * value is unchanged; in evaluation mode it is the identity. The mask comes from the
 * seeded generator given at construction, so a seed gives the same masks.
 */
public final class Dropout extends Module {
    private final float p;
    private final RandomGenerator rng;

    /** Drops with probability {@code p} in {@code [0, 1]}, drawing masks from {@code rng}. */
    public Dropout(float p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is not in [0, 1]");
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        Tensor mask = Tensor.zeros(x.shape());
        if (p < 1) {
            float keep = 1f / (1f - p);
            mask.writeInPlace(m -> {
                for (int i = 0; i < m.length; i++) {
                    m[i] = rng.nextFloat() < p ? 0f : keep;
                }
            });
        }
        return x.mul(mask);
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.number(p) + ", inplace=False";
    }
}
