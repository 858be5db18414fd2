package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;
import java.util.Map;

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
 */
public final class SGD extends Optimizer {
    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        super(params, lr);
    }

    /** Sets the momentum factor μ (default 0); returns this. */
    public SGD momentum(double momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    /** Sets the dampening of the momentum (default 0); returns this. */
    public SGD dampening(double dampening) {
        this.dampening = dampening;
        return this;
    }

    /** Sets the L2 weight decay added to the gradient (default 0); returns this. */
    public SGD weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight decay", weightDecay);
        return this;
    }

    /** Enables Nesterov momentum (needs momentum > 0 and dampening 0); returns this. */
    public SGD nesterov(boolean nesterov) {
        this.nesterov = nesterov;
        return this;
    }

    static double nonNegative(String what, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("invalid " + what + ": " + v);
        }
        return v;
    }

    @Override
    protected void validate() {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalStateException("SGD: Nesterov momentum requires a momentum and zero dampening, got momentum "
                    + momentum + ", dampening " + dampening);
        }
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        Tensor d = withWeightDecay(index, param, grad, weightDecay);
        if (momentum != 0) {
            boolean first = !hasState("momentum_buffer", index);
            Tensor buffer = state("momentum_buffer", index, 0f);
            if (first) {
                buffer.copyFrom(d);
            } else {
                buffer.mulAddInPlace((float) momentum, d, (float) (1 - dampening));
            }
            if (nesterov) {
                if (d == grad) {
                    d = scratch("gradient", index).copyFrom(grad);
                }
                d.addInPlace(buffer, (float) momentum);
            } else {
                d = buffer;
            }
        }
        param.addInPlace(d, (float) -learningRate());
    }

    @Override
    protected void putHyperParameters(Map<String, Double> out) {
        out.put("momentum", momentum);
        out.put("dampening", dampening);
        out.put("weight_decay", weightDecay);
        out.put("nesterov", flag(nesterov));
    }

    @Override
    protected boolean setHyperParameter(String name, double value) {
        switch (name) {
            case "momentum" -> momentum = value;
            case "dampening" -> dampening = value;
            case "weight_decay" -> weightDecay = value;
            case "nesterov" -> nesterov = value != 0;
            default -> {
                return false;
            }
        }
        return true;
    }
}
