package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: each step first shrinks
 * the parameters, {@code p = p·(1 - lr·wd)}, then takes Adam's step on the plain gradient.
 * The default weight decay is 0.01, as in PyTorch.
 */
public final class AdamW extends Adam {
    /** AdamW with learning rate {@code lr} and PyTorch's defaults (weight decay 0.01). */
    public AdamW(List<Tensor> params, double lr) {
        super(params, lr);
        weightDecay(0.01);
    }

    @Override
    protected Tensor decay(int index, Tensor param, Tensor grad) {
        param.mulInPlace((float) (1 - learningRate() * weightDecay()));
        return grad;
    }
}
