package dev.autodiff.nn;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;

import java.util.Arrays;

/**
 * The cross-entropy of logits against class labels or class probabilities, as
 * {@code torch.nn.CrossEntropyLoss}: the classes on axis 1 of logits {@code [N, C]},
 * {@code [N, C, d1, ..., dk]} (one label per position, as for segmentation) or {@code [C]};
 * optional class weights; a label to ignore (-100 by default, as in PyTorch); label
 * smoothing; and any {@link Reduction}. Each setting returns a new loss:
 *
 * <pre>{@code
 * CrossEntropyLoss loss = new CrossEntropyLoss().weight(classWeights).ignoreIndex(255).labelSmoothing(0.1f);
 * Tensor l = loss.apply(logits, labels);
 * }</pre>
 *
 * <p>With labels, a position p of label y contributes
 * {@code (1 - ε)·w_y·(-log p_y) + (ε/C)·Σ_c w_c·(-log p_c)}, and 0 if y is the ignored label
 * ({@code w_c = 1} without weights). {@link Reduction#MEAN} divides the sum by {@code Σ w_y}
 * over the positions not ignored (their count without weights); with every position
 * ignored it is NaN, as in PyTorch.
 *
 * <p>With class probabilities {@code t} of the logits' shape, a position contributes
 * {@code -Σ_c w_c·t'_c·log p_c} with {@code t' = (1 - ε)·t + ε/C}, and {@link Reduction#MEAN}
 * divides by the number of positions.
 *
 * @param weight per-class weights {@code [C]}, constants (no gradient flows into them); null for none
 * @param ignoreIndex the label whose positions contribute nothing
 * @param labelSmoothing ε in {@code [0, 1]}
 * @param reduction how the per-position losses are combined
 */
public record CrossEntropyLoss(Tensor weight, int ignoreIndex, float labelSmoothing, Reduction reduction) {

    /** Checks the settings. */
    public CrossEntropyLoss {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing " + labelSmoothing + " is not in [0, 1]");
        }
        if (weight != null && weight.rank() != 1) {
            throw new IllegalArgumentException("crossEntropy: class weights must be a vector [C], got shape "
                    + Arrays.toString(weight.shape()));
        }
        if (reduction == null) {
            throw new IllegalArgumentException("crossEntropy: the reduction is null");
        }
    }

    /** PyTorch's defaults: no weights, ignored label -100, no smoothing, the mean. */
    public CrossEntropyLoss() {
        this(null, -100, 0f, Reduction.MEAN);
    }

    /** This loss with the given class weights {@code [C]} (null for none). */
    public CrossEntropyLoss weight(Tensor classWeights) {
        return new CrossEntropyLoss(classWeights, ignoreIndex, labelSmoothing, reduction);
    }

    /** This loss ignoring positions of the given label. */
    public CrossEntropyLoss ignoreIndex(int label) {
        return new CrossEntropyLoss(weight, label, labelSmoothing, reduction);
    }

    /** This loss with label smoothing ε. */
    public CrossEntropyLoss labelSmoothing(float epsilon) {
        return new CrossEntropyLoss(weight, ignoreIndex, epsilon, reduction);
    }

    /** This loss with the given reduction. */
    public CrossEntropyLoss reduction(Reduction r) {
        return new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, r);
    }

    /**
     * The loss of logits against integer labels, one per position in row-major order of
     * {@code [N, d1, ..., dk]}; {@link Reduction#NONE} gives that shape.
     */
    public Tensor apply(Tensor logits, int[] labels) {
        int classes = classes(logits);
        Tensor perPosition = Functional.crossEntropyUnreduced(logits, labels, ignoreIndex);
        int[] shape = perPosition.shape();
        float[] labelWeights = new float[labels.length]; // w_y, 0 where ignored
        float[] targeted = new float[labels.length]; // 1 where not ignored
        double denominator = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != ignoreIndex) {
                targeted[i] = 1f;
                labelWeights[i] = weight == null ? 1f : weight.get(labels[i]);
                denominator += labelWeights[i];
            }
        }
        Tensor nll = weight == null ? perPosition : perPosition.mul(Tensor.of(labelWeights, shape));
        Tensor loss = reduce(nll, denominator);
        if (labelSmoothing == 0) {
            return loss;
        }
        Tensor logProbs = logits.logSoftmax(classAxis(logits));
        Tensor smooth = weighted(logProbs, logits).sum(classAxis(logits)).neg();
        smooth = Tensor.where(Tensor.of(targeted, shape), smooth, 0f);
        return loss.mul(1 - labelSmoothing).add(reduce(smooth, denominator).mul(labelSmoothing / classes));
    }

    /** The loss of logits against class probabilities of the same shape. */
    public Tensor apply(Tensor logits, Tensor probabilities) {
        int classes = classes(logits);
        if (!Arrays.equals(logits.shape(), probabilities.shape())) {
            throw new IllegalArgumentException("crossEntropy: probabilities of shape " + Arrays.toString(probabilities.shape())
                    + " for logits of shape " + Arrays.toString(logits.shape()));
        }
        Tensor target = labelSmoothing == 0 ? probabilities
                : probabilities.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        int axis = classAxis(logits);
        Tensor perPosition = weighted(logits.logSoftmax(axis).mul(target), logits).sum(axis).neg();
        return reduce(perPosition, perPosition.size());
    }

    private static int classAxis(Tensor logits) {
        return logits.rank() == 1 ? 0 : 1;
    }

    /** The number of classes, with the weights checked against it. */
    private int classes(Tensor logits) {
        if (logits.rank() == 0) {
            throw new IllegalArgumentException("crossEntropy: logits must have a class axis ([C], [N, C] or [N, C, d1, ...]), "
                    + "got []");
        }
        int classes = logits.shape(classAxis(logits));
        if (weight != null && weight.size() != classes) {
            throw new IllegalArgumentException("crossEntropy: " + weight.size() + " class weights for " + classes + " classes");
        }
        return classes;
    }

    /** {@code x} (of the logits' shape) times the class weights along the class axis; {@code x} without weights. */
    private Tensor weighted(Tensor x, Tensor logits) {
        if (weight == null) {
            return x;
        }
        int[] shape = new int[logits.rank()];
        Arrays.fill(shape, 1);
        shape[classAxis(logits)] = weight.size();
        return x.mul(weight.detach().reshape(shape));
    }

    /** The reduction, with {@code denominator} as the mean's divisor. */
    private Tensor reduce(Tensor losses, double denominator) {
        return switch (reduction) {
            case NONE -> losses;
            case SUM -> losses.sum();
            // Every label ignored: the mean is NaN, as PyTorch's 0/0, but its gradient is 0, as PyTorch's,
            // where dividing by 0 would put NaN into every logit and, after a step, into every parameter
            case MEAN -> denominator == 0 ? losses.sum().mul(0f).add(Float.NaN) : losses.sum().div((float) denominator);
        };
    }
}
