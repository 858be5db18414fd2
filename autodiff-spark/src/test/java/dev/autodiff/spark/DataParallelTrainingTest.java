package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.TensorDataset;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training against training on one machine: the nn API alone, a
 * {@link DataLoader} with the same seed and batch size over the rows in the DataFrame's order.
 */
class DataParallelTrainingTest {
    private static final int FEATURES = 5;
    private static final int HIDDEN = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;
    private static final int EPOCHS = 2;
    private static final long SEED = 7;

    private static final SparkTests.Blobs DATA = SparkTests.blobs(103, FEATURES, CLASSES, 11);

    /** Trains on one machine with the same initialization (Linear layers from SplittableRandom(seed)) as the estimator. */
    private static Map<String, Tensor> trainOnOneMachine(Function<Sequential, Optimizer> optimizer) {
        SplittableRandom rng = new SplittableRandom(SEED);
        Sequential model = new Sequential(new Linear(FEATURES, HIDDEN, rng), new ReLU(), new Linear(HIDDEN, CLASSES, rng));
        Optimizer opt = optimizer.apply(model);
        TensorDataset data = TensorDataset.withLabels(Tensor.of(DATA.x(), DATA.rows(), FEATURES), DATA.labels());
        DataLoader loader = DataLoader.builder(data).batchSize(BATCH).shuffle(SEED).build();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            loader.setEpoch(epoch);
            for (Batch b : loader) {
                Tensor loss = Losses.crossEntropy(model.forward(b.x()), b.labels());
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        return model.stateDict();
    }

    private static MlpClassifier classifier(String optimizer) {
        return new MlpClassifier().setLayers(FEATURES, HIDDEN, CLASSES).setMaxIter(EPOCHS).setBlockSize(BATCH)
                .setSeed(SEED).setOptimizer(optimizer);
    }

    private static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, float tolerance) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> {
            float[] a = actual.get(name).toArray();
            float[] x = e.toArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], a[i], tolerance, name + "[" + i + "]");
            }
        });
    }

    @ParameterizedTest(name = "{0} on {1} partitions")
    @CsvSource({"sgd, 1", "sgd, 2", "sgd, 3", "adam, 2", "adam, 4"})
    void synchronousTrainingEqualsOneMachine(String optimizer, int partitions) {
        Map<String, Tensor> expected = trainOnOneMachine(model -> optimizer.equals("sgd")
                ? new SGD(model.parameters(), 0.05).momentum(0.9)
                : new Adam(model.parameters(), 1e-3));
        MlpClassificationModel fitted = classifier(optimizer).fit(DATA.frame(partitions));
        // The same steps; only the order of the float sums of gradients differs.
        assertClose(expected, fitted.stateDict(), 2e-5f);
        assertEquals(EPOCHS, fitted.trainingHistory().size());
        assertEquals((103 + BATCH - 1) / BATCH, fitted.trainingHistory().getFirst().rounds());
    }

    @Test
    void localSgdOnOnePartitionCarriesTheOptimizerStateAcrossRounds() {
        // One replica: averaging is the identity, so K local steps per round must continue
        // exactly as one machine does, Adam's moments and step counts included.
        Map<String, Tensor> expected = trainOnOneMachine(model -> new Adam(model.parameters(), 1e-3));
        MlpClassificationModel fitted = classifier("adam").setLocalSteps(3).fit(DATA.frame(1));
        assertClose(expected, fitted.stateDict(), 2e-5f);
        assertEquals(3, fitted.trainingHistory().getFirst().rounds()); // 7 steps in rounds of 3, 3 and 1
    }

    @Test
    void localSgdIsReproducibleAndLearns() {
        SparkTests.Blobs train = SparkTests.blobs(600, FEATURES, CLASSES, 3);
        MlpClassifier classifier = classifier("sgd").setLocalSteps(4).setMaxIter(5);
        MlpClassificationModel a = classifier.fit(train.frame(2));
        MlpClassificationModel b = classifier.fit(train.frame(2));
        a.stateDict().forEach((name, t) -> assertArrayEquals(t.toArray(), b.stateDict().get(name).toArray(), name));
        assertEquals(10, a.trainingHistory().getFirst().rounds()); // 38 steps in rounds of 4
        double accuracy = a.trainingHistory().getLast().accuracy();
        assertTrue(accuracy > 0.9, "train accuracy " + accuracy);
    }

    @Test
    void synchronousTrainingDoesNotDependOnThePartitioningBeyondRounding() {
        MlpClassificationModel two = classifier("sgd").fit(DATA.frame(2));
        MlpClassificationModel five = classifier("sgd").fit(DATA.frame(5));
        assertClose(two.stateDict(), five.stateDict(), 2e-5f);
        assertEquals(two.trainingHistory().getLast().accuracy(), five.trainingHistory().getLast().accuracy());
    }
}
