package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureScalerTest {
    /** Feature 0 takes 1, 3, 5 (mean 3, population std sqrt(8/3)); feature 1 is constant 10. */
    private static final TensorDataset TRAIN = TensorDataset.withLabels(
            Tensor.matrix(new float[][] {{1, 10}, {3, 10}, {5, 10}}), new int[] {0, 1, 0});
    private static final TensorDataset TEST = TensorDataset.withLabels(
            Tensor.matrix(new float[][] {{7, 12}, {3, 9}}), new int[] {1, 1});

    @Test
    void standardizationUsesTrainingStatisticsOnlyAndScaleOneForConstants() {
        FeatureScaler scaler = FeatureScaler.standardize(TRAIN);
        float std = (float) Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] {3, 10}, scaler.shift().toArray());
        assertArrayEquals(new float[] {std, 1}, scaler.scale().toArray(), 1e-6f);

        TensorDataset train = scaler.transform(TRAIN);
        assertArrayEquals(new float[] {-2 / std, 0, 0, 0, 2 / std, 0}, train.features().toArray(), 1e-6f);
        TensorDataset test = scaler.transform(TEST);
        assertArrayEquals(new float[] {4 / std, 2, 0, -1}, test.features().toArray(), 1e-6f);
        assertArrayEquals(new int[] {1, 1}, test.labels());
    }

    @Test
    void globalStandardizationSharesOneMeanAndDeviationAcrossFeatures() {
        // all six training values 1, 10, 3, 10, 5, 10: mean 6.5, population variance 81.5/6
        FeatureScaler scaler = FeatureScaler.standardizeGlobally(TRAIN);
        float std = (float) Math.sqrt(81.5 / 6);
        assertArrayEquals(new float[] {6.5f, 6.5f}, scaler.shift().toArray(), 1e-6f);
        assertArrayEquals(new float[] {std, std}, scaler.scale().toArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5f / std, 5.5f / std, -3.5f / std, 2.5f / std},
                scaler.transform(TEST).features().toArray(), 1e-6f);
    }

    @Test
    void minMaxMapsTheTrainingRangeOntoTheUnitInterval() {
        FeatureScaler scaler = FeatureScaler.minMax(TRAIN);
        assertArrayEquals(new float[] {1, 10}, scaler.shift().toArray());
        assertArrayEquals(new float[] {4, 1}, scaler.scale().toArray());
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, scaler.transform(TRAIN).features().toArray());
        assertArrayEquals(new float[] {1.5f, 2, 0.5f, -1}, scaler.transform(TEST).features().toArray());
    }

    @Test
    void rejectsFeaturesOfAnotherShape() {
        FeatureScaler scaler = FeatureScaler.standardize(TRAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scaler.transform(Tensor.zeros(2, 3)));
        assertEquals("FeatureScaler.transform: fitted on examples of shape [2], got features of shape [2, 3]", e.getMessage());
    }
}
