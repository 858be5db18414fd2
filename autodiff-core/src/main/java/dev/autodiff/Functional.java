package dev.autodiff;

/**
 * Differentiable functions built from the primitives: softmax and its relatives,
 * the losses every model needs, and the linear layer's product. Each is a stable
 * composition; the fused softmax cross-entropy is a primitive of its own because it
 * runs in every training step.
 */
public final class Functional {
    private Functional() {}

    /** {@code log Σ exp(x)} along an axis, shifted by the (constant) maximum so that it cannot overflow. */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        int a = Shapes.axis("logSumExp", axis, x.rank());
        Tensor shift = finiteMax(x, a);
        Tensor lse = x.sub(shift).exp().sum(new int[] {a}, true).log().add(shift);
        return keepDims ? lse : lse.reshape(Shapes.reduced(x.shape, new int[] {a}, false));
    }

    /** The maximum along an axis as a constant, with non-finite maxima replaced by 0 (rows of -Inf stay -Inf). */
    private static Tensor finiteMax(Tensor x, int axis) {
        if (Batching.any(x)) {
            return Batching.apply("finiteMax", x, f -> finiteMax(f.x(0), f.axis(0, axis)));
        }
        Tensor m = x.detach().max(new int[] {axis}, true);
        float[] d = m.data;
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                d[i] = 0f;
            }
        }
        return m;
    }

    /** The softmax along an axis. */
    public static Tensor softmax(Tensor x, int axis) {
        int a = Shapes.axis("softmax", axis, x.rank());
        if (Batching.any(x) && !Trace.differentiating(x)) {
            return Batching.apply("softmax", x, f -> softmax(f.x(0), f.axis(0, a)));
        }
        if (a == x.rank() - 1 && !Trace.differentiating(x)) {
            int cols = x.shape[a];
            float[] out = new float[x.data.length];
            Tensor.kernels().softmax(x.data, cols == 0 ? 0 : x.data.length / cols, cols, out);
            return new Tensor(out, x.shape);
        }
        Tensor e = x.sub(finiteMax(x, a)).exp();
        return e.div(e.sum(new int[] {a}, true));
    }

    /** The log of the softmax along an axis. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        int a = Shapes.axis("logSoftmax", axis, x.rank());
        if (Batching.any(x) && !Trace.differentiating(x)) {
            return Batching.apply("logSoftmax", x, f -> logSoftmax(f.x(0), f.axis(0, a)));
        }
        if (a == x.rank() - 1 && !Trace.differentiating(x)) {
            int cols = x.shape[a];
            float[] out = new float[x.data.length];
            Tensor.kernels().logSoftmax(x.data, cols == 0 ? 0 : x.data.length / cols, cols, out);
            return new Tensor(out, x.shape);
        }
        return x.sub(logSumExp(x, a, true));
    }

    /** The mean squared error {@code mean((prediction - target)²)}. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        if (!java.util.Arrays.equals(prediction.shape, target.shape)) {
            throw new IllegalArgumentException("mse: prediction of shape " + Shapes.str(prediction.shape)
                    + " and target of shape " + Shapes.str(target.shape) + " differ");
        }
        return prediction.sub(target).square().mean();
    }

    /** {@code x·Wᵀ + b} for a weight stored {@code [out, in]} as in PyTorch; {@code bias} may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || x.rank() == 0 || x.shape[x.rank() - 1] != weight.shape[1]) {
            throw new IllegalArgumentException("linear: input of shape " + Shapes.str(x.shape)
                    + " does not fit a weight of shape " + Shapes.str(weight.shape) + " ([out, in])");
        }
        Tensor y = x.rank() == 1 ? x.reshape(1, -1).matmul(weight, false, true).reshape(-1)
                : x.matmul(weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    /**
     * The mean cross-entropy of logits {@code [N, C]} against integer labels:
     * {@code -(1/N) Σ log softmax(logits)[i, labels[i]]}. Its gradient at the logits is
     * {@code (P - Y)/N}.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shapes.str(logits.shape));
        }
        int rows = logits.shape[0];
        int cols = logits.shape[1];
        Labels.checkAll("crossEntropy", labels, rows, cols);
        int[] y = labels.clone();
        float[] probs;
        Tensor loss;
        if (Batching.any(logits)) {
            // Each example's mean: the composition, which holds for a batch of logits [B, N, C].
            probs = null;
            Tensor oneHot = Tensor.oneHot(y, cols);
            loss = Batching.apply("crossEntropy", logits, f -> !f.mapped(0) ? crossEntropy(f.x(0), y)
                    : f.x(0).logSoftmax(-1).mul(oneHot).sum(-1).mean(-1).neg());
        } else {
            probs = new float[logits.data.length];
            float[] losses = new float[rows];
            Tensor.kernels().softmaxCrossEntropy(logits.data, rows, cols, y, probs, losses);
            double total = 0;
            for (float l : losses) {
                total += l;
            }
            loss = Tensor.scalar(rows == 0 ? Float.NaN : (float) (total / rows));
        }
        return Trace.record("crossEntropy", loss, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {probsMinusOneHot(g.mul(1f / rows))};
            }

            public Tensor jvp(Tensor[] t) {
                return probsMinusOneHot(Tensor.scalar(1f / rows)).mul(t[0]).sum();
            }

            /**
             * {@code (P - Y) · scale}, fused when nothing differentiates it further and
             * neither is batched (then the composition batches).
             */
            private Tensor probsMinusOneHot(Tensor scale) {
                if (probs != null && !Batching.any(scale) && !Trace.differentiating(scale, logits)) {
                    float[] perRow = new float[rows];
                    java.util.Arrays.fill(perRow, scale.item());
                    float[] d = new float[probs.length];
                    Tensor.kernels().softmaxCrossEntropyBackward(probs, rows, cols, y, perRow, d);
                    return new Tensor(d, logits.shape);
                }
                return logits.softmax(1).sub(Tensor.oneHot(y, cols)).mul(scale);
            }
        }, logits);
    }
}
