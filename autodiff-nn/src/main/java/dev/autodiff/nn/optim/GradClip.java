package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.Collection;

/**
 * Gradient clipping in place, as {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}. Parameters without a gradient are skipped.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by {@code maxNorm / (total + 1e-6)} when that is below 1, where
     * {@code total} is the L2 norm of all gradients together; returns {@code total}.
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        double sumOfSquares = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                sumOfSquares += p.grad().sumOfSquares();
            }
        }
        double total = Math.sqrt(sumOfSquares);
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().mulInPlace((float) coefficient);
                }
            }
        }
        return total;
    }

    /** Limits every gradient element to {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(Collection<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip value " + clipValue + " is negative");
        }
        for (Tensor p : params) {
            if (p.grad() != null) {
                p.grad().clampInPlace((float) -clipValue, (float) clipValue);
            }
        }
    }
}
