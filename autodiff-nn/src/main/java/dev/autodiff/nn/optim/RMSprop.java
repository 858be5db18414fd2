package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;
import java.util.Map;

/**
 * RMSprop, with exactly {@code torch.optim.RMSprop}'s update:
 * <pre>
 * g = g + wd·p
 * s = α·s + (1-α)·g²
 * a = α·a + (1-α)·g;   den = √(s - a²) + eps   (centered)   or   den = √s + eps
 * b = μ·b + g/den;  p = p - lr·b   (momentum)   or   p = p - lr·g/den
 * </pre>
 * Defaults: α 0.99, eps 1e-8, no momentum, not centered, no weight decay.
 */
public final class RMSprop extends Optimizer {
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double weightDecay;
    private double momentum;
    private boolean centered;

    /** RMSprop with learning rate {@code lr} and PyTorch's defaults. */
    public RMSprop(List<Tensor> params, double lr) {
        super(params, lr);
    }

    /** Sets the smoothing constant α (default 0.99); returns this. */
    public RMSprop alpha(double alpha) {
        this.alpha = SGD.nonNegative("alpha", alpha);
        return this;
    }

    /** Sets the term added to the denominator (default 1e-8); returns this. */
    public RMSprop eps(double eps) {
        this.eps = SGD.nonNegative("eps", eps);
        return this;
    }

    /** Sets the weight decay (default 0); returns this. */
    public RMSprop weightDecay(double weightDecay) {
        this.weightDecay = SGD.nonNegative("weight decay", weightDecay);
        return this;
    }

    /** Sets the momentum (default 0); returns this. */
    public RMSprop momentum(double momentum) {
        this.momentum = SGD.nonNegative("momentum", momentum);
        return this;
    }

    /** Normalises by the estimated variance of the gradient instead of its second moment; returns this. */
    public RMSprop centered(boolean centered) {
        this.centered = centered;
        return this;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        Tensor g = withWeightDecay(index, param, grad, weightDecay);
        Tensor squareAvg = state("square_avg", index, 0f).mulAddSquareInPlace((float) alpha, g, (float) (1 - alpha));
        Tensor denominator = squareAvg;
        if (centered) {
            Tensor gradAvg = state("grad_avg", index, 0f).mulAddInPlace((float) alpha, g, (float) (1 - alpha));
            denominator = scratch("denominator", index).copyFrom(squareAvg).mulAddSquareInPlace(1f, gradAvg, -1f);
        }
        if (momentum > 0) {
            Tensor buffer = state("momentum_buffer", index, 0f).mulInPlace((float) momentum)
                    .addRatioInPlace(1f, g, denominator, (float) eps);
            param.addInPlace(buffer, (float) -learningRate());
        } else {
            param.addRatioInPlace((float) -learningRate(), g, denominator, (float) eps);
        }
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("alpha", alpha);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("momentum", momentum);
        out.put("centered", flag(centered));
    }

    @Override
    protected boolean setHyperParameter(String name, double value) {
        switch (name) {
            case "alpha" -> alpha = value;
            case "eps" -> eps = value;
            case "weight_decay" -> weightDecay = value;
            case "momentum" -> momentum = value;
            case "centered" -> centered = value != 0;
            default -> {
                return false;
            }
        }
        return true;
    }
}
