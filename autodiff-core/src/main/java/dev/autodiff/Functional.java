package dev.autodiff;

/**
 * Differentiable functions built from the primitives, as {@code torch.nn.functional}:
 * softmax and its relatives, log-sum-exp, the losses every model needs, layer and batch
 * normalisation, and the linear layer's product. Each is a stable composition; the fused
 * softmax cross-entropy is a primitive of its own because it runs in every training step.
 */
public final class Functional {
    private Functional() {}

    /** {@code log Σ exp(x)} along an axis, shifted by the (constant) maximum so that it cannot overflow. */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        return logSumExp(x, new int[] {axis}, keepDims);
    }

    /** {@code log Σ exp(x)} over the given axes (all when none), shifted by the (constant) maximum. */
    public static Tensor logSumExp(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shapes.axes("logSumExp", axes, x.rank());
        if (x.size() == 0) {
            // every result is log Σ over nothing, -Inf; the sum keeps it in the graph with derivative
            // 0, where the log's rule would give 0/0
            return x.sum(ax, keepDims).mul(0f).add(Float.NEGATIVE_INFINITY);
        }
        Tensor shift = finiteMax(x, ax);
        Tensor lse = x.sub(shift).exp().sum(ax, true).log().add(shift);
        return keepDims ? lse : lse.reshape(Shapes.reduced(x.shape, ax, false));
    }

    /**
     * The maximum over axes as a constant, with non-finite maxima replaced by 0 (rows of -Inf
     * stay -Inf), and 0 over an empty axis.
     */
    private static Tensor finiteMax(Tensor x, int[] axes) {
        if (Batching.any(x)) {
            // A scalar's maximum over no axes is itself: reduce a new axis of one instead.
            return Batching.apply("logSumExp", x, f -> axes.length == 0
                    ? finiteMax(f.x(0).unsqueeze(-1), new int[] {f.x(0).rank()}).reshape(f.x(0).shape)
                    : finiteMax(f.x(0), f.axes(0, axes)));
        }
        if (x.size() == 0) {
            // an empty axis has no maximum; as for a row of -Inf the shift is 0, so that log Σ over
            // nothing is -Inf and a softmax over nothing is empty, as in PyTorch
            return Tensor.zeros(Shapes.reduced(x.shape, axes, true));
        }
        Tensor m = x.view(x.shape).max(axes, true);
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                d[i] = 0f;
            }
        }
        return m;
    }

    /**
     * {@code log(e^a + e^b)}, broadcast, as {@code max(a, b) + log(1 + e^-|a - b|)}: no
     * overflow or underflow, {@code -Inf} for two {@code -Inf}, and gradients
     * {@code sigmoid(a - b)} and {@code sigmoid(b - a)} (1/2 each where a = b).
     */
    public static Tensor logAddExp(Tensor a, Tensor b) {
        // where a and b are the same infinity a - b is NaN; their difference counts as 0
        Tensor difference = Tensor.where(a.eq(b), 0f, a.sub(b));
        return a.maximum(b).add(difference.abs().neg().softplus());
    }

    /** The softmax along an axis. */
    public static Tensor softmax(Tensor x, int axis) {
        int a = Shapes.axis("softmax", axis, x.rank());
        if (Batching.any(x) && !Trace.differentiating(x)) {
            return Batching.apply("softmax", x, f -> softmax(f.x(0), f.axis(0, a)));
        }
        if (a == x.rank() - 1 && !Trace.differentiating(x)) {
            int cols = x.shape[a];
            float[] out = new float[x.data().length];
            Tensor.kernels().softmax(x.data(), cols == 0 ? 0 : x.data().length / cols, cols, out);
            return new Tensor(out, x.shape);
        }
        Tensor e = x.sub(finiteMax(x, new int[] {a})).exp();
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
            float[] out = new float[x.data().length];
            Tensor.kernels().logSoftmax(x.data(), cols == 0 ? 0 : x.data().length / cols, cols, out);
            return new Tensor(out, x.shape);
        }
        return x.sub(logSumExp(x, new int[] {a}, true));
    }

    /** The mean squared error {@code mean((prediction - target)²)}. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        if (!java.util.Arrays.equals(prediction.shape, target.shape)) {
            throw new IllegalArgumentException("mse: prediction of shape " + Shapes.str(prediction.shape)
                    + " and target of shape " + Shapes.str(target.shape) + " differ");
        }
        return prediction.sub(target).square().mean();
    }

    /**
     * {@code x·Wᵀ + b} for a weight stored {@code [out, in]} as in PyTorch, over the last axis
     * of x; {@code bias} may be null. A bias of shape {@code [out]} is added by the product's
     * kernel as each block of the output is finished; one of another shape that broadcasts
     * to the output is added after.
     *
     * <p>For one row of x where nothing is differentiated (inference under {@link NoGrad}),
     * the SIMD kernels read a weight of up to 4 MB from a copy laid out for one-row products,
     * faster to read: they make it on the first such call and keep it with the weight until
     * the weight is written, at the cost of memory as large as the weight. A row then gives
     * the same bits on every call, which may differ in the last bits from the same row's in
     * a batch.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear("linear", x, weight, bias, false);
    }

    /**
     * {@code relu(x·Wᵀ + b)} as one op, with the values and gradients of
     * {@code linear(x, weight, bias).relu()}: the kernel applies the bias and the ReLU to
     * each block of the product while it is in cache, and no pre-activation array is made or
     * kept. {@code Sequential} uses it for a {@code Linear} followed by a {@code ReLU}.
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) {
        return linear("linearRelu", x, weight, bias, true);
    }

    private static Tensor linear(String op, Tensor x, Tensor weight, Tensor bias, boolean relu) {
        if (weight.rank() != 2 || x.rank() == 0 || x.shape[x.rank() - 1] != weight.shape[1]) {
            throw new IllegalArgumentException(op + ": input of shape " + Shapes.str(x.shape)
                    + " does not fit a weight of shape " + Shapes.str(weight.shape) + " ([out, in])");
        }
        if (Batching.any(x, weight) || (bias != null && Batching.any(bias))) {
            // under vmap the composition batches op by op
            Tensor z = x.rank() == 1 ? x.reshape(1, -1).matmul(weight, false, true).reshape(-1)
                    : x.matmul(weight, false, true);
            z = bias == null ? z : z.add(bias);
            return relu ? z.relu() : z;
        }
        int out = weight.shape[0];
        boolean rowBias = bias == null || (bias.rank() == 1 && bias.shape[0] == out);
        Tensor rows = x.rank() == 2 ? x : x.reshape(Shapes.rows(x.shape), weight.shape[1]);
        Tensor y = FusedLinear.apply(rows, weight, rowBias ? bias : null, relu && rowBias);
        if (x.rank() != 2) {
            int[] shape = x.shape.clone();
            shape[shape.length - 1] = out;
            y = y.reshape(shape);
        }
        if (!rowBias) {
            y = y.add(bias);
            y = relu ? y.relu() : y;
        }
        return y;
    }

    /**
     * The mean cross-entropy of logits against integer class labels,
     * {@code -(1/M) Σ log softmax(logits)[position, label]} over the M positions. The logits
     * are {@code [N, C]}, {@code [C]} or {@code [N, C, d1, ..., dk]} with the classes on axis 1,
     * as in PyTorch; {@code labels} holds one class per position, in row-major order of
     * {@code [N, d1, ..., dk]}. Its gradient at the logits is {@code (P - Y)/M}. Every label
     * must be a class; for ignored labels, class weights, label smoothing and other
     * reductions, see {@code dev.autodiff.nn.CrossEntropyLoss}.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return crossEntropyRows(classesLast("crossEntropy", logits), classes("crossEntropy", logits, labels, null)).mean();
    }

    /**
     * The cross-entropy of each position, unreduced: for logits as in
     * {@link #crossEntropy(Tensor, int[])}, a tensor of shape {@code [N, d1, ..., dk]} (a
     * scalar for logits {@code [C]}). A position whose label is {@code ignoreIndex} gets 0
     * and passes no gradient; every other label must be a class.
     */
    public static Tensor crossEntropyUnreduced(Tensor logits, int[] labels, int ignoreIndex) {
        Tensor rows = crossEntropyRows(classesLast("crossEntropy", logits), classes("crossEntropy", logits, labels,
                ignoreIndex));
        return rows.reshape(positionShape(logits));
    }

    /** The shape of the positions of logits: all axes but the class axis (axis 1, or the only one). */
    private static int[] positionShape(Tensor logits) {
        if (logits.rank() == 1) {
            return new int[0];
        }
        int[] shape = new int[logits.rank() - 1];
        shape[0] = logits.shape[0];
        System.arraycopy(logits.shape, 2, shape, 1, logits.rank() - 2);
        return shape;
    }

    /** Logits with the class axis moved last and the positions flattened: {@code [M, C]}. */
    private static Tensor classesLast(String op, Tensor logits) {
        int r = logits.rank();
        if (r == 0) {
            throw new IllegalArgumentException(op + ": logits must have a class axis ([C], [N, C] or [N, C, d1, ...]), got "
                    + Shapes.str(logits.shape));
        }
        if (r <= 2) {
            return r == 1 ? logits.reshape(1, -1) : logits;
        }
        int[] perm = new int[r];
        perm[0] = 0;
        for (int d = 2; d < r; d++) {
            perm[d - 1] = d;
        }
        perm[r - 1] = 1;
        return logits.permute(perm).reshape(-1, logits.shape[1]);
    }

    /**
     * The labels checked against the classes, with -1 for a label equal to {@code ignoreIndex}
     * (when given): the class of each row of {@link #classesLast}.
     */
    private static int[] classes(String op, Tensor logits, int[] labels, Integer ignoreIndex) {
        int positions = Trace.sizeOf(positionShape(logits));
        int classes = logits.rank() == 1 ? logits.shape[0] : logits.shape[1];
        if (labels.length != positions) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + positions
                    + (logits.rank() == 2 ? " rows of logits" : " positions of logits of shape " + Shapes.str(logits.shape)));
        }
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (ignoreIndex != null && out[i] == ignoreIndex) {
                out[i] = -1;
            } else {
                Labels.check(op, labels, i, classes);
            }
        }
        return out;
    }

    /**
     * The primitive: {@code -log softmax(row)[class]} for each row of logits {@code [M, C]}
     * by the fused kernel; a row of class -1 has no target, gets 0 and passes no gradient.
     * The VJP is {@code (P - Y)·g} row by row, fused when nothing differentiates it further.
     * Batched (under {@link AD#vmap}), the examples' rows are the rows of one tall matrix,
     * with the classes repeated for each example.
     */
    private static Tensor crossEntropyRows(Tensor logits, int[] classes) {
        int rows = logits.shape[0];
        int cols = logits.shape[1];
        int[] withTargets = classes; // copied only when a row has no target
        float[] targeted = null; // 1 for a row with a target, 0 without; null when all have one
        for (int r = 0; r < rows; r++) {
            if (classes[r] < 0) {
                if (targeted == null) {
                    targeted = new float[rows];
                    java.util.Arrays.fill(targeted, 1f);
                    withTargets = classes.clone();
                }
                targeted[r] = 0f;
                withTargets[r] = 0; // any class: its loss and gradient are dropped
            }
        }
        int[] kernelLabels = withTargets;
        Tensor mask = targeted == null ? null : new Tensor(targeted, new int[] {rows});
        Tensor probs;
        Tensor out;
        if (Batching.any(logits)) {
            probs = null;
            out = Batching.apply("crossEntropy", logits, f -> !f.mapped(0) ? crossEntropyRows(f.x(0), classes)
                    : crossEntropyRows(f.x(0).reshape(-1, cols), repeated(classes, f.size())).reshape(f.size(), rows));
        } else {
            probs = Trace.output(logits.shape, logits);
            out = Trace.output(new int[] {rows}, logits);
            float[] losses = out.data();
            Tensor.kernels().softmaxCrossEntropy(logits.data(), rows, cols, kernelLabels, probs.data(), losses);
            for (int r = 0; r < rows; r++) {
                if (classes[r] < 0) {
                    losses[r] = 0f;
                }
            }
        }
        return Trace.record("crossEntropy", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {probsMinusOneHot(g)};
            }

            public Tensor jvp(Tensor[] t) {
                return probsMinusOneHot(Tensor.ones(rows)).mul(t[0]).sum(1);
            }

            public Tensor saved() {
                return probs;
            }

            /**
             * {@code (P - Y)} with row r scaled by {@code scale[r]} (0 for a row without a
             * target), fused when nothing differentiates it further and nothing is batched
             * (then the composition batches).
             */
            private Tensor probsMinusOneHot(Tensor scale) {
                Tensor s = mask == null ? scale : scale.mul(mask);
                if (probs != null && !Batching.any(s) && !Trace.differentiating(s, logits)) {
                    Tensor d = Trace.output(logits.shape, s, probs);
                    Tensor.kernels().softmaxCrossEntropyBackward(probs.data(), rows, cols, kernelLabels, s.data(),
                            d.data());
                    return d;
                }
                Tensor oneHot = Tensor.oneHot(kernelLabels, cols);
                return logits.softmax(1).sub(mask == null ? oneHot : oneHot.mul(mask.reshape(rows, 1))).mul(s.reshape(rows, 1));
            }
        }, logits);
    }

    /** {@code values} repeated {@code times} times, one copy after another. */
    private static int[] repeated(int[] values, int times) {
        int[] out = new int[values.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(values, 0, out, t * values.length, values.length);
        }
        return out;
    }

    // ----------------------------------------------------------------- normalisation

    /**
     * Layer normalisation over the trailing axes of the given shape, as
     * {@code torch.nn.functional.layer_norm}: {@code (x - mean)/√(var + eps)·weight + bias}
     * with the biased variance; {@code weight} and {@code bias} (of the normalised shape)
     * may be null.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        int k = normalizedShape.length;
        int r = x.rank();
        boolean fits = k > 0 && r >= k
                && java.util.Arrays.equals(java.util.Arrays.copyOfRange(x.shape, r - k, r), normalizedShape);
        if (!fits) {
            throw new IllegalArgumentException("layerNorm: input of shape " + Shapes.str(x.shape)
                    + " does not end with the normalized shape " + Shapes.str(normalizedShape));
        }
        checkAffine("layerNorm", weight, bias, normalizedShape);
        int[] axes = new int[k];
        java.util.Arrays.setAll(axes, i -> r - k + i);
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor y = centered.mul(centered.square().mean(axes, true).add(eps).rsqrt());
        return affine(y, weight, bias, null);
    }

    /**
     * Batch normalisation over every axis but the channel axis 1 of an input
     * {@code [N, C, ...]}, as {@code torch.nn.functional.batch_norm}. In training it
     * normalises with the batch's mean and biased variance and, when the running statistics
     * are given, updates them in place with momentum m:
     * {@code running = (1 - m)·running + m·batch}, with the unbiased variance for
     * {@code runningVar}. Otherwise it normalises with the running statistics. The
     * statistics, {@code weight} and {@code bias} have shape {@code [C]}; the last two may
     * be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, float momentum, float eps) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batchNorm: expected an input [N, C, ...], got " + Shapes.str(x.shape));
        }
        int channels = x.shape[1];
        int[] shape = {channels};
        checkAffine("batchNorm", weight, bias, shape);
        checkAffine("batchNorm", runningMean, runningVar, shape);
        int[] channelShape = new int[x.rank()];
        java.util.Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        int[] axes = new int[x.rank() - 1];
        for (int d = 0, k = 0; d < x.rank(); d++) {
            if (d != 1) {
                axes[k++] = d;
            }
        }
        Tensor y;
        if (training) {
            int n = channels == 0 ? 0 : x.size() / channels;
            if (n < 2) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input "
                        + Shapes.str(x.shape));
            }
            Tensor mean = x.mean(axes, true);
            Tensor centered = x.sub(mean);
            Tensor variance = centered.square().mean(axes, true);
            y = centered.mul(variance.add(eps).rsqrt());
            if (runningMean != null && runningVar != null) {
                runningMean.mulAddInPlace(1 - momentum, mean.detach().reshape(shape), momentum);
                runningVar.mulAddInPlace(1 - momentum, variance.detach().reshape(shape), momentum * n / (n - 1f));
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: evaluation needs the running mean and variance");
            }
            y = x.sub(runningMean.reshape(channelShape)).mul(runningVar.add(eps).rsqrt().reshape(channelShape));
        }
        return affine(y, weight, bias, channelShape);
    }

    /** Fails unless each of the two tensors is null or has the given shape. */
    private static void checkAffine(String op, Tensor first, Tensor second, int[] shape) {
        for (Tensor t : new Tensor[] {first, second}) {
            if (t != null && !java.util.Arrays.equals(t.shape, shape)) {
                throw new IllegalArgumentException(op + ": a parameter of shape " + Shapes.str(t.shape)
                        + " where " + Shapes.str(shape) + " is expected");
            }
        }
    }

    /** {@code y·weight + bias}, each optional, reshaped to {@code shape} when given. */
    private static Tensor affine(Tensor y, Tensor weight, Tensor bias, int[] shape) {
        Tensor out = weight == null ? y : y.mul(shape == null ? weight : weight.reshape(shape));
        return bias == null ? out : out.add(shape == null ? bias : bias.reshape(shape));
    }
}
