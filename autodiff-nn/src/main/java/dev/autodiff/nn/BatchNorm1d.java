package dev.autodiff.nn;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs over all axes but the
 * channel axis, as {@code torch.nn.BatchNorm1d}. In training it normalises with the
 * batch's mean and biased variance and updates the running statistics with momentum
 * {@code m}: {@code running = (1 - m)·running + m·batch}, using the unbiased variance for
 * {@code running_var} as PyTorch does. In evaluation it normalises with the running
 * statistics. Buffers: {@code running_mean}, {@code running_var} and
 * {@code num_batches_tracked} (a float32 scalar here, an int64 in PyTorch). The computation
 * is {@link Functional#batchNorm}.
 */
public final class BatchNorm1d extends Module {
    private final int numFeatures;
    private final float eps;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    /** The given eps and momentum, with or without a learnable affine transform. */
    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException("BatchNorm1d: numFeatures must be positive, got " + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] shape = x.shape();
        if ((shape.length != 2 && shape.length != 3) || shape[1] != numFeatures) {
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, " + numFeatures + "] or [N, "
                    + numFeatures + ", L], got " + Arrays.toString(shape));
        }
        Tensor y = Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
        if (isTraining()) {
            numBatchesTracked.addInPlace(Tensor.scalar(1f), 1f);
        }
        return y;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.number(eps) + ", momentum=" + PyRepr.number(momentum) + ", affine="
                + PyRepr.bool(weight != null) + ", track_running_stats=True";
    }
}
