package dev.autodiff.nn;

import dev.autodiff.CustomOp;
import dev.autodiff.Functional;
import dev.autodiff.Tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The loss functions of {@code torch.nn.functional}, with PyTorch's formulas and
 * {@link Reduction}s (mean by default). All are stable for extreme inputs: the
 * classification losses work on logits through log-sum-exp or softplus forms, and the
 * probability form of binary cross-entropy clamps its logarithms at -100 as PyTorch does.
 */
public final class Losses {
    private Losses() {}

    /** The mean squared error. */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    /** The squared error {@code (prediction - target)²}, reduced. */
    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        return reduction.apply(difference("mse", prediction, target).square());
    }

    /** The mean absolute error. */
    public static Tensor l1(Tensor prediction, Tensor target) {
        return l1(prediction, target, Reduction.MEAN);
    }

    /** The absolute error {@code |prediction - target|}, reduced. */
    public static Tensor l1(Tensor prediction, Tensor target, Reduction reduction) {
        return reduction.apply(difference("l1", prediction, target).abs());
    }

    /**
     * The Huber loss, as {@code torch.nn.functional.huber_loss}: {@code 0.5·d²} where
     * {@code |d| < delta}, else {@code delta·(|d| - 0.5·delta)}, for {@code d = prediction - target}.
     */
    public static Tensor huber(Tensor prediction, Tensor target, float delta, Reduction reduction) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        }
        Tensor a = difference("huber", prediction, target).abs();
        // q = min(|d|, delta); q·(|d| - q/2) is 0.5·d² inside and delta·(|d| - delta/2) outside.
        Tensor q = a.minimum(Tensor.scalar(delta));
        return reduction.apply(q.mul(a.sub(q.mul(0.5f))));
    }

    private static Tensor difference(String op, Tensor prediction, Tensor target) {
        requireSameShape(op, prediction, target);
        return prediction.sub(target);
    }

    private static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(a.shape())
                    + " and target of shape " + Arrays.toString(b.shape()) + " differ");
        }
    }

    // ---------------------------------------------------------------- classification

    /**
     * The mean cross-entropy of logits against integer labels, every label a class: logits
     * {@code [N, C]} (or any rank, classes on axis 1), by the fused kernel. For class
     * weights, an ignored label, label smoothing or other reductions, use
     * {@link CrossEntropyLoss}.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return Functional.crossEntropy(logits, labels);
    }

    /**
     * Cross-entropy with label smoothing {@code ε}, as PyTorch defines it:
     * {@code (1-ε)·nll + ε·mean_c(-log p_c)} per position, reduced; a shorthand for
     * {@code new CrossEntropyLoss().reduction(reduction).labelSmoothing(labelSmoothing)}, which
     * ignores the label -100 as PyTorch does.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction reduction, float labelSmoothing) {
        return new CrossEntropyLoss().reduction(reduction).labelSmoothing(labelSmoothing).apply(logits, labels);
    }

    /** The negative log-likelihood of log-probabilities {@code [N, C]} at integer labels, reduced. */
    public static Tensor nll(Tensor logProbs, int[] labels, Reduction reduction) {
        return reduction.apply(pickNegated(logits(logProbs, labels, "nll"), labels));
    }

    private static Tensor logits(Tensor scores, int[] labels, String op) {
        if (scores.rank() != 2 || scores.shape(0) != labels.length) {
            throw new IllegalArgumentException(op + ": expected scores [N, C] for " + labels.length + " labels, got "
                    + Arrays.toString(scores.shape()));
        }
        int classes = scores.shape(1);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at index " + i + " is out of range for "
                        + classes + " classes");
            }
        }
        return scores;
    }

    /** {@code -scores[i, labels[i]]} for each row, as a vector. */
    private static Tensor pickNegated(Tensor scores, int[] labels) {
        return scores.mul(Tensor.oneHot(labels, scores.shape(1))).sum(1).neg();
    }

    // ---------------------------------------------------------------- binary

    /** Binary cross-entropy of probabilities against targets in {@code [0, 1]}, mean-reduced. */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target) {
        return binaryCrossEntropy(probabilities, target, Reduction.MEAN);
    }

    /**
     * {@code -(y·log p + (1-y)·log(1-p))} with each log clamped at -100, as
     * {@code torch.nn.functional.binary_cross_entropy}; its gradient is PyTorch's
     * {@code (p - y) / max(p·(1-p), 1e-12)}, finite at 0 and 1.
     */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropy", probabilities, target);
        FloatBuffer values = probabilities.values();
        for (int i = 0; i < values.limit(); i++) {
            float p = values.get(i);
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("binaryCrossEntropy: input " + p + " is not a probability in [0, 1]");
            }
        }
        return reduction.apply(BCE.apply(probabilities, target));
    }

    private static final CustomOp BCE = CustomOp.of("binaryCrossEntropy", 2,
            in -> clampedLog(in[0]).mul(in[1]).add(clampedLog(in[0].neg().add(1f)).mul(in[1].neg().add(1f))).neg(),
            (in, out, g) -> {
                Tensor p = in[0];
                Tensor y = in[1];
                Tensor dp = g.mul(p.sub(y)).div(p.mul(p.neg().add(1f)).maximum(Tensor.scalar(1e-12f)));
                Tensor dy = g.mul(clampedLog(p.neg().add(1f)).sub(clampedLog(p)));
                return new Tensor[] {dp, dy};
            });

    private static Tensor clampedLog(Tensor x) {
        return x.log().maximum(Tensor.scalar(-100f));
    }

    /** Binary cross-entropy of logits against targets, mean-reduced. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of {@code sigmoid(x)}, computed stably as
     * {@code max(x, 0) - x·y + log(1 + e^-|x|)}; its gradient is {@code sigmoid(x) - y}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropyWithLogits", logits, target);
        return reduction.apply(BCE_WITH_LOGITS.apply(logits, target));
    }

    private static final CustomOp BCE_WITH_LOGITS = CustomOp.of("binaryCrossEntropyWithLogits", 2,
            in -> in[0].relu().sub(in[0].mul(in[1])).add(in[0].abs().neg().softplus()),
            (in, out, g) -> new Tensor[] {g.mul(in[0].sigmoid().sub(in[1])), g.mul(in[0]).neg()});
}
