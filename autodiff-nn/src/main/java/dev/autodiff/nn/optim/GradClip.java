package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Kernels;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Gradient clipping in place, as {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}. Parameters without a gradient are skipped. A gradient array
 * shared by two parameters (the backward pass may hand one array to both operands of an
 * addition) is scaled once.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by {@code maxNorm / (total + 1e-6)} when that is below 1, where
     * {@code total} is the L2 norm of all gradients together; returns {@code total}.
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        Kernels k = KernelRegistry.active();
        double sumOfSquares = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                sumOfSquares += k.sumOfSquares(p.grad().data(), p.size());
            }
        }
        double total = Math.sqrt(sumOfSquares);
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1) {
            for (float[] g : distinctGradients(params)) {
                k.axpby(0f, g, (float) coefficient, g, g.length);
            }
        }
        return total;
    }

    /** Limits every gradient element to {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(Collection<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clip value " + clipValue + " is negative");
        }
        Kernels k = KernelRegistry.active();
        for (float[] g : distinctGradients(params)) {
            k.clamp(g, (float) -clipValue, (float) clipValue, g.length);
        }
    }

    private static Set<float[]> distinctGradients(Collection<Tensor> params) {
        Set<float[]> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : params) {
            if (p.grad() != null) {
                out.add(p.grad().data());
            }
        }
        return out;
    }
}
