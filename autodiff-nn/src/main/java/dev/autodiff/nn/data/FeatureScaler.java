package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Arrays;

/**
 * A per-feature affine rescaling {@code (x - shift) / scale}, fitted on training features
 * only and then applied unchanged to validation and test features, so that no statistic of
 * held-out data leaks into training. Statistics are taken over the example axis (axis 0);
 * a feature that is constant in the training data gets scale 1, as in scikit-learn.
 */
public final class FeatureScaler {
    private final Tensor shift;
    private final Tensor scale;

    private FeatureScaler(Tensor shift, Tensor scale) {
        this.shift = shift;
        this.scale = scale;
    }

    /** Standardization: subtracts each feature's mean and divides by its population standard deviation. */
    public static FeatureScaler standardize(TensorDataset train) {
        Tensor features = checkedFeatures("standardize", train);
        Tensor std = features.std(new int[] {0}, 0, false);
        return new FeatureScaler(features.mean(0), onesWhereZero(std));
    }

    /**
     * Standardization with one mean and one standard deviation over all features, as
     * torchvision's {@code Normalize(mean, std)} with a data set's statistics: for images,
     * whose pixels share one scale and whose border pixels are nearly constant.
     */
    public static FeatureScaler standardizeGlobally(TensorDataset train) {
        Tensor features = checkedFeatures("standardizeGlobally", train);
        int[] example = train.featureShape();
        float std = (float) Math.sqrt(features.var(new int[0], 0, false).item());
        return new FeatureScaler(Tensor.full(features.mean().item(), example), Tensor.full(std == 0f ? 1f : std, example));
    }

    /** Min-max scaling: maps each feature's training range onto [0, 1] (held-out values may fall outside). */
    public static FeatureScaler minMax(TensorDataset train) {
        Tensor features = checkedFeatures("minMax", train);
        Tensor min = features.neg().max(new int[] {0}, false).neg();
        Tensor max = features.max(new int[] {0}, false);
        return new FeatureScaler(min, onesWhereZero(max.sub(min)));
    }

    /** What is subtracted from each feature (the mean, or the minimum), of the shape of one example. */
    public Tensor shift() {
        return shift;
    }

    /** What each shifted feature is divided by (the standard deviation, or the range). */
    public Tensor scale() {
        return scale;
    }

    /** Rescales features of shape {@code [N, ...]} whose example shape matches the fitted one. */
    public Tensor transform(Tensor features) {
        int[] example = features.rank() == 0 ? null : Arrays.copyOfRange(features.shape(), 1, features.rank());
        if (!Arrays.equals(example, shift.shape())) {
            throw new IllegalArgumentException("FeatureScaler.transform: fitted on examples of shape "
                    + Arrays.toString(shift.shape()) + ", got features of shape " + Arrays.toString(features.shape()));
        }
        return features.sub(shift).div(scale);
    }

    /** The dataset with rescaled features and the same labels or targets. */
    public TensorDataset transform(TensorDataset data) {
        return data.withFeatures(transform(data.features()));
    }

    private static Tensor checkedFeatures(String what, TensorDataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("FeatureScaler." + what + ": cannot fit on an empty dataset");
        }
        return train.features();
    }

    private static Tensor onesWhereZero(Tensor scale) {
        return scale.add(scale.eq(scale.zerosLike()));
    }
}
