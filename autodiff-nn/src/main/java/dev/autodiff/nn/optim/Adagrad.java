package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;
import java.util.Map;

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
    private double lrDecay;
    private double weightDecay;
    private double initialAccumulatorValue;
    private double eps = 1e-10;

    /** Adagrad with learning rate {@code lr} and PyTorch's defaults. */
    public Adagrad(List<Tensor> params, double lr) {
        super(params, lr);
    }

    /** Sets the learning-rate decay per step (default 0); returns this. */
    public Adagrad lrDecay(double lrDecay) {
        this.lrDecay = SGD.nonNegative("lr_decay", lrDecay);
        return this;
    }

    /** Sets the weight decay (default 0); returns this. */
    public Adagrad weightDecay(double weightDecay) {
        this.weightDecay = SGD.nonNegative("weight decay", weightDecay);
        return this;
    }

    /** Sets the starting value of the sum of squares (default 0); returns this. */
    public Adagrad initialAccumulatorValue(double value) {
        this.initialAccumulatorValue = SGD.nonNegative("initial_accumulator_value", value);
        return this;
    }

    /** Sets the term added to the denominator (default 1e-10); returns this. */
    public Adagrad eps(double eps) {
        this.eps = SGD.nonNegative("eps", eps);
        return this;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        Tensor g = withWeightDecay(index, param, grad, weightDecay);
        Tensor sum = state("sum", index, (float) initialAccumulatorValue).mulAddSquareInPlace(1f, g, 1f);
        double clr = learningRate() / (1 + (step - 1) * lrDecay);
        param.addRatioInPlace((float) -clr, g, sum, (float) eps);
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("lr_decay", lrDecay);
        out.put("weight_decay", weightDecay);
        out.put("initial_accumulator_value", initialAccumulatorValue);
        out.put("eps", eps);
    }

    @Override
    protected boolean setHyperParameter(String name, double value) {
        switch (name) {
            case "lr_decay" -> lrDecay = value;
            case "weight_decay" -> weightDecay = value;
            case "initial_accumulator_value" -> initialAccumulatorValue = value;
            case "eps" -> eps = value;
            default -> {
                return false;
            }
        }
        return true;
    }
}
