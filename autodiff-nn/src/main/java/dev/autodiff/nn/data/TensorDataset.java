package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset held in memory: a features tensor of shape {@code [N, ...]} with either N
 * non-negative integer labels or a targets tensor of shape {@code [N, ...]}. Example i is
 * row i of each. The tensors are used as given, not copied.
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final int[] labels;
    private final Tensor targets;
    private final int featureSize;
    private final int targetSize;

    private TensorDataset(Tensor features, int[] labels, Tensor targets) {
        if (features.rank() == 0) {
            throw new IllegalArgumentException("TensorDataset: features must have a leading example axis, got a scalar");
        }
        int rows = features.shape(0);
        int targetRows = labels != null ? labels.length : targets.rank() == 0 ? -1 : targets.shape(0);
        if (targetRows != rows) {
            throw new IllegalArgumentException("TensorDataset: features of shape " + Arrays.toString(features.shape())
                    + " have " + rows + " examples but there are "
                    + (labels != null ? labels.length + " labels" : "targets of shape " + Arrays.toString(targets.shape())));
        }
        this.features = features;
        this.labels = labels;
        this.targets = targets;
        this.featureSize = rows == 0 ? 0 : features.size() / rows;
        this.targetSize = targets == null || rows == 0 ? 0 : targets.size() / rows;
    }

    /** A classification dataset; labels must be non-negative. */
    public static TensorDataset withLabels(Tensor features, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("TensorDataset: label " + labels[i] + " at index " + i + " is negative");
            }
        }
        return new TensorDataset(features, labels.clone(), null);
    }

    /** A regression dataset with float targets of shape {@code [N, ...]}. */
    public static TensorDataset withTargets(Tensor features, Tensor targets) {
        return new TensorDataset(features, null, targets);
    }

    /** The same labels or targets with other features of the same example count (for example, normalized ones). */
    public TensorDataset withFeatures(Tensor newFeatures) {
        return new TensorDataset(newFeatures, labels, targets);
    }

    /** The examples at {@code indices}, in that order (copied). */
    public TensorDataset subset(int[] indices) {
        Tensor pickedFeatures = features.indexSelect(0, indices); // checks the indices
        if (labels == null) {
            return new TensorDataset(pickedFeatures, null, targets.indexSelect(0, indices));
        }
        int[] pickedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            pickedLabels[i] = labels[indices[i]];
        }
        return new TensorDataset(pickedFeatures, pickedLabels, null);
    }

    /** All features, {@code [N, ...]}. */
    public Tensor features() {
        return features;
    }

    /** A copy of all labels. */
    public int[] labels() {
        requireLabels("labels");
        return labels.clone();
    }

    /** All targets, {@code [N, ...]}. */
    public Tensor targets() {
        requireTargets("targets");
        return targets;
    }

    /** One more than the largest label: the number of classes a classifier for this dataset needs. */
    public int classCount() {
        requireLabels("classCount");
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    @Override
    public int size() {
        return features.shape(0);
    }

    @Override
    public Example get(int index) {
        Tensor x = Tensor.zeros(featureShape()).writeInPlace(values -> copyFeatures(index, values, 0));
        if (labels != null) {
            return Example.labeled(x, labels[index]);
        }
        return Example.withTarget(x, Tensor.zeros(targetShape()).writeInPlace(values -> copyTarget(index, values, 0)));
    }

    @Override
    public int[] featureShape() {
        return Arrays.copyOfRange(features.shape(), 1, features.rank());
    }

    @Override
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public int[] targetShape() {
        return targets == null ? new int[0] : Arrays.copyOfRange(targets.shape(), 1, targets.rank());
    }

    @Override
    public void copyFeatures(int index, float[] dst, int offset) {
        features.values().get(checkIndex(index) * featureSize, dst, offset, featureSize);
    }

    @Override
    public int label(int index) {
        requireLabels("label");
        return labels[checkIndex(index)];
    }

    @Override
    public void copyTarget(int index, float[] dst, int offset) {
        requireTargets("copyTarget");
        targets.values().get(checkIndex(index) * targetSize, dst, offset, targetSize);
    }

    private int checkIndex(int index) {
        return Objects.checkIndex(index, size());
    }

    private void requireLabels(String what) {
        if (labels == null) {
            throw new IllegalStateException("TensorDataset." + what + ": this dataset has float targets, not labels");
        }
    }

    private void requireTargets(String what) {
        if (targets == null) {
            throw new IllegalStateException("TensorDataset." + what + ": this dataset has integer labels, not targets");
        }
    }
}
