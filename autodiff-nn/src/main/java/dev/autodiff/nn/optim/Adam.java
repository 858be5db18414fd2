package dev.autodiff.nn.optim;

import dev.autodiff.AdamStep;
import dev.autodiff.Tensor;

import java.util.List;

/**
 * Adam, with exactly {@code torch.optim.Adam}'s update (L2 weight decay added to the
 * gradient, optional AMSGrad):
 * <pre>
 * g = g + wd·p
 * m = β1·m + (1-β1)·g;   v = β2·v + (1-β2)·g²;   v̂max = max(v̂max, v)  (AMSGrad)
 * p = p - lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)
 * </pre>
 * Defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. {@link AdamW} decouples the decay.
 * Without AMSGrad a step, weight decay included, is one pass over each parameter, its moments and its gradient
 * ({@link Tensor#adamStepInPlace}), with the bits of the update in separate passes.
 */
public class Adam extends Optimizer {
    /** The decay rate of the first moment (default 0.9). */
    public static final HyperParameter BETA1 = HyperParameter.fraction("beta1", 0.9);
    /** The decay rate of the second moment (default 0.999). */
    public static final HyperParameter BETA2 = HyperParameter.fraction("beta2", 0.999);
    /** The term added to the denominator (default 1e-8). */
    public static final HyperParameter EPS = HyperParameter.nonNegative("eps", 1e-8);
    /** The weight decay (default 0). */
    public static final HyperParameter WEIGHT_DECAY = HyperParameter.nonNegative("weight_decay", 0);
    /** AMSGrad: the denominator uses the running maximum of the second moment. */
    public static final HyperParameter AMSGRAD = HyperParameter.flag("amsgrad");
    /** Adam's declaration; the trainer starts it at learning rate 1e-3. */
    public static final OptimizerSpec SPEC = OptimizerSpec.of("Adam", 1e-3, Adam::new,
            BETA1, BETA2, EPS, WEIGHT_DECAY, AMSGRAD);

    /** Adam with learning rate {@code lr} and PyTorch's defaults. */
    public Adam(List<Tensor> params, double lr) {
        this(SPEC, params, lr);
    }

    /** Adam of several parameter groups, with learning rate {@code lr} for those that have none of their own. */
    public Adam(double lr, ParamGroup... groups) {
        this(SPEC, lr, groups);
    }

    /** An optimizer of Adam's update declared by {@code spec}, which has Adam's hyper-parameters. */
    protected Adam(OptimizerSpec spec, List<Tensor> params, double lr) {
        super(spec, params, lr);
    }

    /** An optimizer of Adam's update declared by {@code spec}, of several parameter groups. */
    protected Adam(OptimizerSpec spec, double lr, ParamGroup... groups) {
        super(spec, lr, groups);
    }

    /** Sets the decay rates of the first and second moments; returns this. */
    public Adam betas(double beta1, double beta2) {
        set(BETA1.name(), beta1);
        set(BETA2.name(), beta2);
        return this;
    }

    /** Sets the term added to the denominator; returns this. */
    public Adam eps(double eps) {
        set(EPS.name(), eps);
        return this;
    }

    /** Sets the weight decay; returns this. */
    public Adam weightDecay(double weightDecay) {
        set(WEIGHT_DECAY.name(), weightDecay);
        return this;
    }

    /** Enables AMSGrad: the denominator uses the running maximum of the second moment; returns this. */
    public Adam amsgrad(boolean amsgrad) {
        set(AMSGRAD.name(), amsgrad ? 1 : 0);
        return this;
    }

    /** The L2 weight decay: Adam adds {@code wd·p} to the gradient. */
    protected float l2Decay() {
        return (float) value(WEIGHT_DECAY);
    }

    /** The factor the parameters are multiplied by before the step: 1 for Adam. */
    protected float shrink() {
        return 1f;
    }

    @Override
    protected final void update(int index, Tensor param, Tensor grad, long step) {
        double beta1 = value(BETA1);
        double beta2 = value(BETA2);
        Tensor m = state("exp_avg", index, 0f);
        Tensor v = state("exp_avg_sq", index, 0f);
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        // m/(√v/√b2 + eps) = √b2·m/(√v + eps·√b2): one pass with a rescaled eps.
        AdamStep s = new AdamStep(l2Decay(), shrink(), (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2),
                (float) (-lr() / bias1 * bias2Sqrt), (float) (value(EPS) * bias2Sqrt));
        if (!isOn(AMSGRAD)) {
            param.adamStepInPlace(m, v, grad, s);
            return;
        }
        // the denominator is the running maximum of v, a fifth array: the same step in passes
        Tensor g = withWeightDecay(index, param, grad, s.weightDecay());
        if (s.shrink() != 1f) {
            param.mulInPlace(s.shrink());
        }
        m.mulAddInPlace(s.beta1(), g, s.gradScale1());
        v.mulAddSquareInPlace(s.beta2(), g, s.gradScale2());
        param.addRatioInPlace(s.rate(), m, state("max_exp_avg_sq", index, 0f).maximumInPlace(v), s.eps());
    }
}
