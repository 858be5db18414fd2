package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adam, with exactly {@code torch.optim.Adam}'s update (L2 weight decay added to the
 * gradient, optional AMSGrad):
 * <pre>
 * g = g + wd·p
 * m = β1·m + (1-β1)·g;   v = β2·v + (1-β2)·g²;   v̂max = max(v̂max, v)  (AMSGrad)
 * p = p - lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)
 * </pre>
 * Defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. {@link AdamW} decouples the decay.
 */
public class Adam extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay;
    private boolean amsgrad;

    /** Adam with learning rate {@code lr} and PyTorch's defaults. */
    public Adam(List<Tensor> params, double lr) {
        super(params, lr);
    }

    /** Sets the decay rates of the first and second moments; returns this. */
    public Adam betas(double beta1, double beta2) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("invalid betas: (" + beta1 + ", " + beta2 + ")");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** Sets the term added to the denominator (default 1e-8); returns this. */
    public Adam eps(double eps) {
        this.eps = SGD.nonNegative("eps", eps);
        return this;
    }

    /** Sets the weight decay (default 0); returns this. */
    public Adam weightDecay(double weightDecay) {
        this.weightDecay = SGD.nonNegative("weight decay", weightDecay);
        return this;
    }

    /** Enables AMSGrad: the denominator uses the running maximum of the second moment; returns this. */
    public Adam amsgrad(boolean amsgrad) {
        this.amsgrad = amsgrad;
        return this;
    }

    /** The weight decay. */
    protected final double weightDecay() {
        return weightDecay;
    }

    /** Applies the weight decay for one step and returns the gradient to use: Adam adds {@code wd·p} to it. */
    protected Tensor decay(int index, Tensor param, Tensor grad) {
        return withWeightDecay(index, param, grad, weightDecay);
    }

    @Override
    protected final void update(int index, Tensor param, Tensor grad, long step) {
        Tensor g = decay(index, param, grad);
        Tensor m = state("exp_avg", index, 0f).mulAddInPlace((float) beta1, g, (float) (1 - beta1));
        Tensor v = state("exp_avg_sq", index, 0f).mulAddSquareInPlace((float) beta2, g, (float) (1 - beta2));
        Tensor denominator = amsgrad ? state("max_exp_avg_sq", index, 0f).maximumInPlace(v) : v;
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        // m/(√v/√b2 + eps) = √b2·m/(√v + eps·√b2): one pass with a rescaled eps.
        param.addRatioInPlace((float) (-learningRate() / bias1 * bias2Sqrt), m, denominator, (float) (eps * bias2Sqrt));
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("beta1", beta1);
        out.put("beta2", beta2);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("amsgrad", flag(amsgrad));
    }

    @Override
    protected boolean setHyperParameter(String name, double value) {
        switch (name) {
            case "beta1" -> beta1 = value;
            case "beta2" -> beta2 = value;
            case "eps" -> eps = value;
            case "weight_decay" -> weightDecay = value;
            case "amsgrad" -> amsgrad = value != 0;
            default -> {
                return false;
            }
        }
        return true;
    }
}
