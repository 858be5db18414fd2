package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;

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
    /** The smoothing constant α (default 0.99). */
    public static final HyperParameter ALPHA = HyperParameter.nonNegative("alpha", 0.99);
    /** The term added to the denominator (default 1e-8). */
    public static final HyperParameter EPS = HyperParameter.nonNegative("eps", 1e-8);
    /** The weight decay (default 0). */
    public static final HyperParameter WEIGHT_DECAY = HyperParameter.nonNegative("weight_decay", 0);
    /** The momentum (default 0). */
    public static final HyperParameter MOMENTUM = HyperParameter.nonNegative("momentum", 0);
    /** Normalise by the estimated variance of the gradient instead of its second moment. */
    public static final HyperParameter CENTERED = HyperParameter.flag("centered");
    /** RMSprop's declaration; the trainer starts it at learning rate 1e-3. */
    public static final OptimizerSpec SPEC = OptimizerSpec.of("RMSprop", 1e-3, RMSprop::new,
            ALPHA, EPS, WEIGHT_DECAY, MOMENTUM, CENTERED);

    /** RMSprop with learning rate {@code lr} and PyTorch's defaults. */
    public RMSprop(List<Tensor> params, double lr) {
        super(SPEC, params, lr);
    }

    /** RMSprop of several parameter groups, with learning rate {@code lr} for those that have none of their own. */
    public RMSprop(double lr, ParamGroup... groups) {
        super(SPEC, lr, groups);
    }

    /** Sets the smoothing constant α; returns this. */
    public RMSprop alpha(double alpha) {
        set(ALPHA.name(), alpha);
        return this;
    }

    /** Sets the term added to the denominator; returns this. */
    public RMSprop eps(double eps) {
        set(EPS.name(), eps);
        return this;
    }

    /** Sets the weight decay; returns this. */
    public RMSprop weightDecay(double weightDecay) {
        set(WEIGHT_DECAY.name(), weightDecay);
        return this;
    }

    /** Sets the momentum; returns this. */
    public RMSprop momentum(double momentum) {
        set(MOMENTUM.name(), momentum);
        return this;
    }

    /** Normalises by the estimated variance of the gradient instead of its second moment; returns this. */
    public RMSprop centered(boolean centered) {
        set(CENTERED.name(), centered ? 1 : 0);
        return this;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        double alpha = value(ALPHA);
        float eps = (float) value(EPS);
        double momentum = value(MOMENTUM);
        if (!isOn(CENTERED) && momentum <= 0) {
            // the usual step, weight decay included: one pass over the parameter, its average of squares, its gradient
            param.rmsStepInPlace(state("square_avg", index, 0f), (float) alpha, grad, (float) value(WEIGHT_DECAY),
                    (float) (1 - alpha), (float) -lr(), eps);
            return;
        }
        Tensor g = withWeightDecay(index, param, grad, value(WEIGHT_DECAY));
        Tensor squareAvg = state("square_avg", index, 0f).mulAddSquareInPlace((float) alpha, g, (float) (1 - alpha));
        Tensor denominator = squareAvg;
        if (isOn(CENTERED)) {
            Tensor gradAvg = state("grad_avg", index, 0f).mulAddInPlace((float) alpha, g, (float) (1 - alpha));
            denominator = scratch("denominator", index).copyFrom(squareAvg).mulAddSquareInPlace(1f, gradAvg, -1f);
        }
        if (momentum > 0) {
            Tensor buffer = state("momentum_buffer", index, 0f).mulInPlace((float) momentum)
                    .addRatioInPlace(1f, g, denominator, eps);
            param.addInPlace(buffer, (float) -lr());
        } else {
            param.addRatioInPlace((float) -lr(), g, denominator, eps);
        }
    }
}
