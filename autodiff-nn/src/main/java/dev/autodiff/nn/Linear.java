package dev.autodiff.nn;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.nn.init.Init;

import java.util.random.RandomGenerator;

/**
 * {@code y = x·Wᵀ + b} with the weight stored {@code [out, in]}, as {@code torch.nn.Linear},
 * and initialised as PyTorch does: weight and bias uniform in {@code ±1/√in}
 * (kaiming_uniform with {@code a = √5} for the weight).
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with a bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, RandomGenerator rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    /** A layer with or without a bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator rng) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures
                    + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.kaimingUniform(Tensor.zeros(outFeatures, inFeatures),
                Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng));
        float bound = (float) (1 / Math.sqrt(inFeatures));
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.zeros(outFeatures), -bound, bound, rng)) : null;
    }

    /** The weight, {@code [out, in]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    /** {@code relu(forward(x))} as one fused op, for a {@link Sequential} that has a {@link ReLU} after this layer. */
    Tensor forwardRelu(Tensor x) {
        return Functional.linearRelu(x, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.bool(bias != null);
    }
}
