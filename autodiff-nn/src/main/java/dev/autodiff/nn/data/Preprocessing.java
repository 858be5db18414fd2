package dev.autodiff.nn.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * How raw feature values become a model's inputs: {@code x = (raw · scale − mean) / std},
 * where {@code raw} is the value as stored in the data file (0–255 for IDX pixels, the
 * number itself for CSV) and {@code mean} and {@code std} hold either one value (applied to
 * every feature) or one value per feature.
 *
 * <p>Checkpoints carry it in their metadata under {@link #METADATA_KEY} as the JSON object
 * {@code {"scale": s, "mean": [...], "std": [...]}}, so that whoever loads the weights (our
 * {@code eval}, PyTorch) feeds the model exactly what it was trained on.
 *
 * @param scale multiplies the raw value first
 * @param mean subtracted after scaling: one value, or one per feature
 * @param std divides the centred value: one value, or one per feature; all positive
 */
public record Preprocessing(float scale, float[] mean, float[] std) {

    /** The checkpoint metadata key under which the preprocessing is stored. */
    public static final String METADATA_KEY = "autodiff.preprocessing";

    /** Checks the values; {@code mean} and {@code std} are copied. */
    public Preprocessing {
        if (!Float.isFinite(scale) || scale == 0f) {
            throw new IllegalArgumentException("Preprocessing: scale must be finite and non-zero, got " + scale);
        }
        if (mean.length == 0 || std.length == 0) {
            throw new IllegalArgumentException("Preprocessing: mean and std need at least one value");
        }
        if (mean.length != std.length && mean.length != 1 && std.length != 1) {
            throw new IllegalArgumentException("Preprocessing: " + mean.length + " means but " + std.length
                    + " standard deviations (each must have one value or one per feature)");
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Preprocessing: mean " + i + " is " + mean[i]);
            }
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0f) || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("Preprocessing: std " + i + " is " + std[i] + "; it must be positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** No change: scale 1, mean 0, std 1. */
    public static Preprocessing identity() {
        return new Preprocessing(1f, new float[] {0f}, new float[] {1f});
    }

    /**
     * Scaling followed by the shift and scale of a {@link FeatureScaler} fitted on the scaled
     * training features; a statistic that is the same for every feature is stored once.
     */
    public static Preprocessing of(float scale, FeatureScaler scaler) {
        return new Preprocessing(scale, compact(scaler.shift().toArray()), compact(scaler.scale().toArray()));
    }

    private static float[] compact(float[] values) {
        for (float v : values) {
            if (Float.compare(v, values[0]) != 0) {
                return values;
            }
        }
        return values.length == 0 ? values : new float[] {values[0]};
    }

    /** The copied means. */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** The copied standard deviations. */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * The number of features this preprocessing is defined for, or 0 when both mean and std
     * are global and it fits any number.
     */
    public int featureCount() {
        return Math.max(mean.length == 1 ? 0 : mean.length, std.length == 1 ? 0 : std.length);
    }

    /**
     * Applies the preprocessing in place to {@code rows} rows of {@code features} values each,
     * stored one after the other in {@code values}.
     */
    public void applyInPlace(float[] values, int features) {
        int expected = featureCount();
        if (expected != 0 && expected != features) {
            throw new IllegalArgumentException("Preprocessing: defined for " + expected + " features, got rows of "
                    + features);
        }
        if (features == 0) {
            return;
        }
        if (values.length % features != 0) {
            throw new IllegalArgumentException("Preprocessing: " + values.length + " values are not whole rows of "
                    + features + " features");
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = apply(values[i], i % features);
        }
    }

    /** The input for raw value {@code raw} of feature {@code feature} (0-based). */
    public float apply(float raw, int feature) {
        return (raw * scale - mean[mean.length == 1 ? 0 : feature]) / std[std.length == 1 ? 0 : feature];
    }

    /**
     * Standardization of each feature of {@code rows} (rows of {@code features} raw values,
     * one after the other) after multiplying by {@code scale}: each feature's mean and
     * population standard deviation, computed in double; a feature that is constant gets
     * standard deviation 1, as in scikit-learn. Statistics equal for every feature are stored once.
     */
    public static Preprocessing standardizing(float scale, float[] rows, int features) {
        if (features <= 0 || rows.length == 0 || rows.length % features != 0) {
            throw new IllegalArgumentException("Preprocessing.standardizing: " + rows.length + " values are not rows of "
                    + features + " features");
        }
        int n = rows.length / features;
        double[] sum = new double[features];
        for (int i = 0; i < rows.length; i++) {
            sum[i % features] += rows[i] * scale;
        }
        double[] squares = new double[features];
        for (int i = 0; i < rows.length; i++) {
            double d = rows[i] * scale - sum[i % features] / n;
            squares[i % features] += d * d;
        }
        float[] mean = new float[features];
        float[] std = new float[features];
        for (int f = 0; f < features; f++) {
            mean[f] = (float) (sum[f] / n);
            std[f] = (float) Math.sqrt(squares[f] / n);
            if (!(std[f] > 0)) {
                std[f] = 1f;
            }
        }
        return new Preprocessing(scale, compact(mean), compact(std));
    }

    /** The JSON object stored under {@link #METADATA_KEY}. */
    public String toJson() {
        return "{\"scale\":" + number(scale) + ",\"mean\":" + array(mean) + ",\"std\":" + array(std) + "}";
    }

    /**
     * Parses {@link #toJson()}'s form (any key order and whitespace); the message of a
     * failure says at which character, and the caller adds where the text came from.
     */
    public static Preprocessing fromJson(String json) {
        return new PreprocessingJson(json).parse();
    }

    /** The preprocessing in checkpoint metadata, or null when the key is absent; a failure's message starts with the key. */
    public static Preprocessing fromMetadata(Map<String, String> metadata) {
        String json = metadata.get(METADATA_KEY);
        try {
            return json == null ? null : fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(METADATA_KEY + ": " + e.getMessage(), e);
        }
    }

    private static String number(float v) {
        // Float.toString gives the shortest decimal that reads back to the same float.
        return Float.toString(v).replace("E", "e");
    }

    private static String array(float[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",").append(number(values[i]));
        }
        return out.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && Float.compare(scale, p.scale) == 0 && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Float.hashCode(scale) + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Preprocessing[scale=%s, mean=%s, std=%s]", scale,
                summary(mean), summary(std));
    }

    private static String summary(float[] v) {
        return v.length == 1 ? Float.toString(v[0]) : v.length + " values";
    }
}
