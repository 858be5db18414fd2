package dev.autodiff.spark;

import dev.autodiff.nn.data.Preprocessing;

import java.io.Serializable;

/**
 * Per-feature count, mean and sum of squared deviations of some rows, merged across
 * partitions with Chan et al.'s pairwise formula (stable, unlike sums of squares), for
 * standardizing the features with the statistics of the training data.
 */
final class FeatureMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private final double[] mean;
    private final double[] m2;

    private FeatureMoments(long count, double[] mean, double[] m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    /** The moments of {@code rows} rows of {@code features} values stored one after the other in {@code x}. */
    static FeatureMoments of(float[] x, int rows, int features) {
        double[] mean = new double[features];
        double[] m2 = new double[features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                mean[f] += x[r * features + f];
            }
        }
        for (int f = 0; f < features && rows > 0; f++) {
            mean[f] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                double d = x[r * features + f] - mean[f];
                m2[f] += d * d;
            }
        }
        return new FeatureMoments(rows, mean, m2);
    }

    /** Adds the rows of {@code other} to these moments. */
    void merge(FeatureMoments other) {
        if (other.count == 0) {
            return;
        }
        long n = count + other.count;
        for (int f = 0; f < mean.length; f++) {
            double delta = other.mean[f] - mean[f];
            mean[f] += delta * other.count / n;
            m2[f] += other.m2[f] + delta * delta * ((double) count * other.count / n);
        }
        count = n;
    }

    /**
     * Standardization {@code (x − mean) / std} with the population standard deviation, as
     * {@code FeatureScaler.standardize}; a constant feature gets std 1.
     */
    Preprocessing standardization() {
        float[] m = new float[mean.length];
        float[] s = new float[mean.length];
        for (int f = 0; f < mean.length; f++) {
            m[f] = (float) mean[f];
            float std = (float) Math.sqrt(m2[f] / count);
            s[f] = std > 0 && Float.isFinite(std) ? std : 1f;
        }
        return new Preprocessing(1f, m, s);
    }
}
