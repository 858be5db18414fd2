package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;

/**
 * Adagrad, with exactly {@code torch.optim.Adagrad}'s update:
 * <pre>
 * g = g + wd·p
 * clr = lr / (1 + (t - 1)·lr_decay)
 * s = s + g²          (s starts at initial_accumulator_value)
 * p = p - clr · g / (√s + eps)
 * </pre>
 * Defaults: lr_decay 0, initial accumulator 0, eps 1e-10, no weight decay.
 */
public final class Adagrad extends Optimizer {
    /** The learning-rate decay per step (default 0). */
    public static final HyperParameter LR_DECAY = HyperParameter.nonNegative("lr_decay", 0);
    /** The weight decay (default 0). */
    public static final HyperParameter WEIGHT_DECAY = HyperParameter.nonNegative("weight_decay", 0);
    /** The starting value of the sum of squares (default 0). */
    public static final HyperParameter INITIAL_ACCUMULATOR_VALUE =
            HyperParameter.nonNegative("initial_accumulator_value", 0);
    /** The term added to the denominator (default 1e-10). */
    public static final HyperParameter EPS = HyperParameter.nonNegative("eps", 1e-10);
    /** Adagrad's declaration; the trainer starts it at learning rate 1e-2. */
    public static final OptimizerSpec SPEC = OptimizerSpec.of("Adagrad", 1e-2, Adagrad::new,
            LR_DECAY, WEIGHT_DECAY, INITIAL_ACCUMULATOR_VALUE, EPS);

    /** Adagrad with learning rate {@code lr} and PyTorch's defaults. */
    public Adagrad(List<Tensor> params, double lr) {
        super(SPEC, params, lr);
    }

    /** Adagrad of several parameter groups, with learning rate {@code lr} for those that have none of their own. */
    public Adagrad(double lr, ParamGroup... groups) {
        super(SPEC, lr, groups);
    }

    /** Sets the learning-rate decay per step; returns this. */
    public Adagrad lrDecay(double lrDecay) {
        set(LR_DECAY.name(), lrDecay);
        return this;
    }

    /** Sets the weight decay; returns this. */
    public Adagrad weightDecay(double weightDecay) {
        set(WEIGHT_DECAY.name(), weightDecay);
        return this;
    }

    /** Sets the starting value of the sum of squares; returns this. */
    public Adagrad initialAccumulatorValue(double value) {
        set(INITIAL_ACCUMULATOR_VALUE.name(), value);
        return this;
    }

    /** Sets the term added to the denominator; returns this. */
    public Adagrad eps(double eps) {
        set(EPS.name(), eps);
        return this;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        double clr = lr() / (1 + (step - 1) * value(LR_DECAY));
        param.rmsStepInPlace(state("sum", index, (float) value(INITIAL_ACCUMULATOR_VALUE)), 1f, grad,
                (float) value(WEIGHT_DECAY), 1f, (float) -clr, (float) value(EPS));
    }
}
