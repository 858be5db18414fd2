package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight
 * decay, with exactly {@code torch.optim.SGD}'s update:
 * <pre>
 * d = g + wd·p
 * b = d                          (first step)
 * b = μ·b + (1 - dampening)·d    (later steps)
 * d = d + μ·b   (Nesterov)   or   d = b
 * p = p - lr·d
 * </pre>
 * Configure with the fluent setters: {@code new SGD(params, 0.1).momentum(0.9).nesterov(true)}.
 * A later step with momentum, weight decay and Nesterov included, is one pass over each
 * parameter, its buffer and its gradient, with the bits of the update in separate passes.
 */
public final class SGD extends Optimizer {
    /** The momentum factor μ (default 0). */
    public static final HyperParameter MOMENTUM = HyperParameter.nonNegative("momentum", 0);
    /** The dampening of the momentum (default 0). */
    public static final HyperParameter DAMPENING = HyperParameter.real("dampening", 0);
    /** The L2 weight decay added to the gradient (default 0). */
    public static final HyperParameter WEIGHT_DECAY = HyperParameter.nonNegative("weight_decay", 0);
    /** Nesterov momentum (needs momentum > 0 and dampening 0). */
    public static final HyperParameter NESTEROV = HyperParameter.flag("nesterov");
    /** SGD's declaration; the trainer starts it at learning rate 0.05. */
    public static final OptimizerSpec SPEC = OptimizerSpec.of("SGD", 0.05, SGD::new,
            MOMENTUM, DAMPENING, WEIGHT_DECAY, NESTEROV);

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        super(SPEC, params, lr);
    }

    /** Plain SGD of several parameter groups, with learning rate {@code lr} for those that have none of their own. */
    public SGD(double lr, ParamGroup... groups) {
        super(SPEC, lr, groups);
    }

    /** Sets the momentum factor μ; returns this. */
    public SGD momentum(double momentum) {
        set(MOMENTUM.name(), momentum);
        return this;
    }

    /** Sets the dampening of the momentum; returns this. */
    public SGD dampening(double dampening) {
        set(DAMPENING.name(), dampening);
        return this;
    }

    /** Sets the L2 weight decay added to the gradient; returns this. */
    public SGD weightDecay(double weightDecay) {
        set(WEIGHT_DECAY.name(), weightDecay);
        return this;
    }

    /** Enables Nesterov momentum (needs momentum > 0 and dampening 0); returns this. */
    public SGD nesterov(boolean nesterov) {
        set(NESTEROV.name(), nesterov ? 1 : 0);
        return this;
    }

    @Override
    protected void validate() {
        if (isOn(NESTEROV) && (value(MOMENTUM) <= 0 || value(DAMPENING) != 0)) {
            throw new IllegalStateException("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum "
                    + value(MOMENTUM) + ", dampening " + value(DAMPENING));
        }
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        float weightDecay = (float) value(WEIGHT_DECAY);
        float momentum = (float) value(MOMENTUM);
        if (momentum != 0 && hasState("momentum_buffer", index)) {
            // a later step, weight decay included, in one pass over the parameter, its buffer and its gradient
            Tensor buffer = state("momentum_buffer", index, 0f);
            if (isOn(NESTEROV)) {
                param.nesterovStepInPlace(buffer, momentum, grad, weightDecay, (float) -lr());
            } else {
                param.momentumStepInPlace(buffer, momentum, grad, weightDecay, (float) (1 - value(DAMPENING)),
                        (float) -lr());
            }
            return;
        }
        Tensor d = withWeightDecay(index, param, grad, weightDecay);
        if (momentum != 0) {
            // the first step: the buffer starts as the gradient
            Tensor buffer = state("momentum_buffer", index, 0f).copyFrom(d);
            if (isOn(NESTEROV)) {
                if (d == grad) {
                    d = scratch("gradient", index).copyFrom(grad);
                }
                d.addInPlace(buffer, momentum);
            } else {
                d = buffer;
            }
        }
        param.addInPlace(d, (float) -lr());
    }
}
