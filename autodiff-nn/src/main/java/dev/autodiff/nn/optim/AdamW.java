package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: each step first shrinks
 * the parameters, {@code p = p·(1 - lr·wd)}, then takes Adam's step on the plain gradient.
 * The default weight decay is 0.01, as in PyTorch.
 */
public final class AdamW extends Adam {
    /** AdamW's declaration: Adam's hyper-parameters with weight decay 0.01; the trainer starts it at 1e-3. */
    public static final OptimizerSpec SPEC = OptimizerSpec.of("AdamW", 1e-3, AdamW::new,
            BETA1, BETA2, EPS, WEIGHT_DECAY.withDefault(0.01), AMSGRAD);

    /** AdamW with learning rate {@code lr} and PyTorch's defaults (weight decay 0.01). */
    public AdamW(List<Tensor> params, double lr) {
        super(SPEC, params, lr);
    }

    /** AdamW of several parameter groups, with learning rate {@code lr} for those that have none of their own. */
    public AdamW(double lr, ParamGroup... groups) {
        super(SPEC, lr, groups);
    }

    @Override
    protected float l2Decay() {
        return 0f;
    }

    @Override
    protected float shrink() {
        return (float) (1 - lr() * value(WEIGHT_DECAY));
    }
}
