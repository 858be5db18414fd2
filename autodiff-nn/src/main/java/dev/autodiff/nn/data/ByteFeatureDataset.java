package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labeled examples whose features are kept as stored, one unsigned byte each (IDX pixels),
 * and become floats through a {@link Preprocessing} only when a batch is copied out: a
 * quarter of the memory of float features, and no full-size copy for normalization.
 */
public final class ByteFeatureDataset implements Dataset {
    private final byte[] values;
    private final int[] featureShape;
    private final int featureSize;
    private final int[] labels;
    private final Preprocessing preprocessing;
    /** The preprocessed value of each byte, when the preprocessing is the same for every feature; else null. */
    private final float[] lookup;

    /**
     * Examples of {@code featureShape} bytes each, stored one after the other in {@code values}
     * (used as given, not copied), with one label each.
     */
    public ByteFeatureDataset(byte[] values, int[] featureShape, int[] labels, Preprocessing preprocessing) {
        this.featureShape = featureShape.clone();
        this.featureSize = Arrays.stream(featureShape).reduce(1, Math::multiplyExact);
        if ((long) featureSize * labels.length != values.length) {
            throw new IllegalArgumentException("ByteFeatureDataset: " + values.length + " bytes are not " + labels.length
                    + " examples of shape " + Arrays.toString(featureShape));
        }
        int features = preprocessing.featureCount();
        if (features != 0 && features != featureSize) {
            throw new IllegalArgumentException("ByteFeatureDataset: the preprocessing is defined for " + features
                    + " features, the examples have " + featureSize);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("ByteFeatureDataset: label " + labels[i] + " at index " + i + " is negative");
            }
        }
        this.values = values;
        this.labels = labels.clone();
        this.preprocessing = preprocessing;
        this.lookup = features == 0 ? lookupTable(preprocessing) : null;
    }

    private static float[] lookupTable(Preprocessing p) {
        float[] table = new float[256];
        for (int b = 0; b < table.length; b++) {
            table[b] = p.apply(b, 0);
        }
        return table;
    }

    /** The same examples with another preprocessing. */
    public ByteFeatureDataset withPreprocessing(Preprocessing newPreprocessing) {
        return new ByteFeatureDataset(values, featureShape, labels, newPreprocessing);
    }

    /** The same examples with their features as one flat row each. */
    public ByteFeatureDataset flat() {
        return new ByteFeatureDataset(values, new int[] {featureSize}, labels, preprocessing);
    }

    /** The preprocessing applied when features are copied out. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * Standardization with one mean and one standard deviation over all stored values, after
     * multiplying them by {@code scale}: exact statistics (in double) from a histogram of the
     * 256 byte values, without converting a single example.
     */
    public Preprocessing standardizedGlobally(float scale) {
        long[] histogram = new long[256];
        for (byte b : values) {
            histogram[b & 0xff]++;
        }
        double n = values.length;
        double mean = 0;
        for (int b = 0; b < 256; b++) {
            mean += histogram[b] * (double) (b * scale);
        }
        mean /= n;
        double variance = 0;
        for (int b = 0; b < 256; b++) {
            double d = b * scale - mean;
            variance += histogram[b] * d * d;
        }
        float std = (float) Math.sqrt(variance / n);
        return new Preprocessing(scale, new float[] {(float) mean}, new float[] {std > 0 ? std : 1f});
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Example get(int index) {
        return Example.labeled(Tensor.zeros(featureShape).writeInPlace(values -> copyFeatures(index, values, 0)),
                label(index));
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    @Override
    public boolean hasLabels() {
        return true;
    }

    @Override
    public int[] targetShape() {
        return new int[0];
    }

    @Override
    public void copyFeatures(int index, float[] dst, int offset) {
        int start = Objects.checkIndex(index, labels.length) * featureSize;
        if (lookup != null) {
            for (int j = 0; j < featureSize; j++) {
                dst[offset + j] = lookup[values[start + j] & 0xff];
            }
        } else {
            for (int j = 0; j < featureSize; j++) {
                dst[offset + j] = preprocessing.apply(values[start + j] & 0xff, j);
            }
        }
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public void copyTarget(int index, float[] dst, int offset) {
        throw new IllegalStateException("ByteFeatureDataset.copyTarget: this dataset has integer labels, not targets");
    }
}
