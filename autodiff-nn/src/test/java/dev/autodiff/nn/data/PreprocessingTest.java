package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessingTest {

    @Test
    void appliesScaleThenPerFeatureMeanAndStd() {
        Preprocessing p = new Preprocessing(0.5f, new float[] {1f, 2f}, new float[] {2f, 4f});
        float[] rows = {4f, 8f, 0f, 4f};
        p.applyInPlace(rows, 2);
        // (4·0.5 − 1)/2, (8·0.5 − 2)/4, (0 − 1)/2, (4·0.5 − 2)/4
        assertArrayEquals(new float[] {0.5f, 0.5f, -0.5f, 0f}, rows);
    }

    @Test
    void globalStatisticsFitAnyFeatureCount() {
        Preprocessing p = new Preprocessing(1f / 255, new float[] {0.25f}, new float[] {0.5f});
        assertEquals(0, p.featureCount());
        float[] pixels = {255f, 0f, 127.5f};
        p.applyInPlace(pixels, 3);
        assertArrayEquals(new float[] {1.5f, -0.5f, 0.5f}, pixels, 1e-6f);
    }

    @Test
    void jsonRoundTripIsExactAndUsesTheDocumentedKeys() {
        Preprocessing p = new Preprocessing(0.003921569f, new float[] {0.2860402f, 1e-8f}, new float[] {0.3530239f, 7f});
        String json = p.toJson();
        assertTrue(json.startsWith("{\"scale\":0.003921569,\"mean\":[0.2860402,1.0e-8],\"std\":["), json);
        assertEquals(p, Preprocessing.fromJson(json));
        assertEquals(p, Preprocessing.fromMetadata(Map.of(Preprocessing.METADATA_KEY, json)));
        assertNull(Preprocessing.fromMetadata(Map.of()));
        assertEquals(p, Preprocessing.fromJson(" { \"std\" : [0.3530239, 7], \"mean\":[0.2860402 ,1e-8], \"scale\": 0.003921569 } "));
    }

    @Test
    void ofFeatureScalerStoresAStatisticSharedByAllFeaturesOnce() {
        TensorDataset train = TensorDataset.withLabels(Tensor.matrix(new float[][] {{1, 3}, {3, 5}}), new int[] {0, 1});
        Preprocessing global = Preprocessing.of(1f, FeatureScaler.standardizeGlobally(train));
        assertArrayEquals(new float[] {3f}, global.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(2)}, global.std(), 1e-6f);
        Preprocessing perFeature = Preprocessing.of(1f, FeatureScaler.standardize(train));
        assertArrayEquals(new float[] {2f, 4f}, perFeature.mean());
        assertArrayEquals(new float[] {1f}, perFeature.std()); // both deviations are 1: stored once
    }

    @Test
    void badValuesAndBadJsonSayWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(1f, new float[] {0f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing(1f, new float[] {0f, 1f}, new float[] {1f, 1f, 1f}));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.fromJson("{\"scale\":1,\"mean\":[0],\"stdev\":[1]}"));
        assertTrue(e.getMessage().contains("unknown key \"stdev\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromJson("{\"scale\":x}"));
        assertTrue(e.getMessage().contains("expected a number at character 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing(1f, new float[] {0f, 0f}, new float[] {1f}).applyInPlace(new float[6], 3));
        assertTrue(e.getMessage().contains("defined for 2 features"), e.getMessage());
    }

    @Test
    void standardizingMatchesTheFeatureScalerAndStoresEqualStatisticsOnce() {
        float[] rows = {1, 10, 5, 3, 10, 5, 8, 10, 5};
        Preprocessing p = Preprocessing.standardizing(0.5f, rows, 3);
        FeatureScaler reference = FeatureScaler.standardize(TensorDataset.withLabels(
                Tensor.of(rows, 3, 3).mul(0.5f), new int[3]));
        assertArrayEquals(reference.shift().toArray(), p.mean(), 1e-6f);
        // The constant features get 1, as the scaler gives them.
        assertArrayEquals(reference.scale().toArray(), p.std(), 1e-6f);
        Preprocessing same = Preprocessing.standardizing(1f, new float[] {1, 1, 3, 3}, 2);
        assertArrayEquals(new float[] {2f}, same.mean());
        assertArrayEquals(new float[] {1f}, same.std());
    }
}
