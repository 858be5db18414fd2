package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.FeatureScaler;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.data.TensorDataset;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineAndPersistenceTest {
    private static final SparkTests.Blobs TRAIN = SparkTests.blobs(400, 4, 3, 21);
    private static final SparkTests.Blobs TEST = SparkTests.blobs(200, 4, 3, 22);

    /** The blobs as four double columns x0..x3 and a label, as a user's table would be. */
    private static Dataset<Row> table(SparkTests.Blobs blobs) {
        StructType schema = new StructType().add("x0", DataTypes.DoubleType).add("x1", DataTypes.DoubleType)
                .add("x2", DataTypes.DoubleType).add("x3", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < blobs.rows(); r++) {
            float[] x = blobs.x();
            rows.add(RowFactory.create((double) x[r * 4], (double) x[r * 4 + 1], (double) x[r * 4 + 2],
                    (double) x[r * 4 + 3], blobs.labels()[r]));
        }
        return SparkTests.spark().createDataFrame(rows, schema);
    }

    private static MlpClassifier classifier() {
        return new MlpClassifier().setLayers(4, 16, 3).setMaxIter(8).setBlockSize(32).setSeed(5);
    }

    private static double accuracy(Dataset<Row> predictions) {
        List<Row> rows = predictions.select("prediction", "label").collectAsList();
        long correct = rows.stream().filter(r -> r.getDouble(0) == ((Number) r.get(1)).doubleValue()).count();
        return correct / (double) rows.size();
    }

    @Test
    void pipelineWithVectorAssemblerTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"x0", "x1", "x2", "x3"})
                .setOutputCol("features");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, classifier()});
        PipelineModel fitted = pipeline.fit(table(TRAIN));
        Dataset<Row> predictions = fitted.transform(table(TEST));
        double accuracy = accuracy(predictions);
        assertTrue(accuracy > 0.9, "test accuracy " + accuracy);

        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = predictions.select("rawPrediction", "probability", "prediction").collectAsList();
        List<Row> after = loaded.transform(table(TEST)).select("rawPrediction", "probability", "prediction")
                .collectAsList();
        assertEquals(before, after);

        // The unfitted pipeline, params included, round-trips too.
        pipeline.write().save(dir.resolve("unfitted").toString());
        MlpClassifier restored = (MlpClassifier) Pipeline.load(dir.resolve("unfitted").toString()).getStages()[1];
        assertArrayEquals(new int[] {4, 16, 3}, restored.getLayers());
        assertEquals(8, restored.getMaxIter());
        assertEquals(32, restored.getBlockSize());
        assertEquals(5L, restored.getSeed());
    }

    @Test
    void transformAppendsProbabilitiesThatAreTheSoftmaxOfTheRawPredictionAndItsArgmax() {
        MlpClassificationModel model = classifier().fit(TRAIN.frame(2));
        List<Row> rows = model.transform(TEST.frame(3)).collectAsList();
        assertEquals(TEST.rows(), rows.size());
        for (Row row : rows) {
            double[] raw = ((Vector) row.getAs("rawPrediction")).toArray();
            double[] p = ((Vector) row.getAs("probability")).toArray();
            double max = Math.max(raw[0], Math.max(raw[1], raw[2]));
            double sum = Math.exp(raw[0] - max) + Math.exp(raw[1] - max) + Math.exp(raw[2] - max);
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.exp(raw[c] - max) / sum, p[c], 1e-12);
            }
            int argmax = raw[0] >= raw[1] && raw[0] >= raw[2] ? 0 : raw[1] >= raw[2] ? 1 : 2;
            assertEquals(argmax, row.<Double>getAs("prediction"));
            assertEquals(model.predict(row.getAs("features")), row.<Double>getAs("prediction"));
        }
        // A single row on the driver gives the same raw prediction as the batched forward.
        Row first = rows.getFirst();
        assertArrayEquals(((Vector) first.getAs("rawPrediction")).toArray(),
                model.predictRaw(first.getAs("features")).toArray(), 1e-6);

        Dataset<Row> onlyPrediction = model.copy(new org.apache.spark.ml.param.ParamMap())
                .setRawPredictionCol("").setProbabilityCol("").transform(TEST.frame(2));
        assertArrayEquals(new String[] {"features", "label", "prediction"}, onlyPrediction.columns());
    }

    @Test
    void savedWeightsLoadIntoASequentialWithPyTorchNamesAndGiveTheSameOutputs(@TempDir Path dir) throws Exception {
        MlpClassificationModel model = classifier().setStandardization(true).fit(TRAIN.frame(2));
        String path = dir.resolve("model").toString();
        model.write().save(path);
        Path file = dir.resolve("model/data/model.safetensors");
        assertTrue(Files.isRegularFile(file));

        Checkpoint checkpoint = Checkpoint.read(file);
        assertEquals(Set.of("0.weight", "0.bias", "2.weight", "2.bias"), checkpoint.model().keySet());
        Map<String, String> meta = checkpoint.metadata();
        assertEquals("4", meta.get("model.inputs"));
        assertEquals("16", meta.get("model.hidden"));
        assertEquals("relu", meta.get("model.activation"));
        assertEquals("3", meta.get("model.classes"));
        assertEquals("pt", meta.get("format"));

        // The stored standardization is the training data's per-feature mean and population std.
        Preprocessing stored = Preprocessing.fromMetadata(meta);
        FeatureScaler scaler = FeatureScaler.standardize(
                TensorDataset.withLabels(Tensor.of(TRAIN.x(), TRAIN.rows(), 4), TRAIN.labels()));
        assertArrayEquals(scaler.shift().toArray(), stored.mean(), 1e-5f);
        assertArrayEquals(scaler.scale().toArray(), stored.std(), 1e-5f);

        // Our nn rebuilds it and computes the model's raw prediction from raw features.
        SplittableRandom rng = new SplittableRandom(0);
        Sequential rebuilt = new Sequential(new Linear(4, 16, rng), new ReLU(), new Linear(16, 3, rng));
        Checkpoint.load(file, rebuilt);
        float[] x = new float[4];
        System.arraycopy(TEST.x(), 0, x, 0, 4);
        float[] raw = x.clone();
        stored.applyInPlace(x, 4);
        float[] logits = rebuilt.forward(Tensor.of(x, 1, 4)).toArray();
        double[] expected = model.predictRaw(Vectors.dense(raw[0], raw[1], raw[2], raw[3])).toArray();
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], logits[c], 1e-5);
        }

        MlpClassificationModel loaded = MlpClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(stored, loaded.preprocessing());
        assertArrayEquals(new int[] {4, 16, 3}, loaded.layers());
        model.stateDict().forEach((name, t) -> assertArrayEquals(t.toArray(), loaded.stateDict().get(name).toArray()));
    }

    @Test
    void sparseAndDenseVectorsTrainTheSameModel() {
        List<Row> sparse = new ArrayList<>();
        for (Row r : TRAIN.toRows()) {
            Vector v = r.getAs(0);
            sparse.add(RowFactory.create(v.toSparse(), r.get(1)));
        }
        Dataset<Row> sparseFrame = SparkTests.spark().createDataFrame(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SparkTests.spark().sparkContext())
                        .parallelize(sparse, 2), SparkTests.SCHEMA);
        MlpClassifier c = classifier().setMaxIter(2);
        Map<String, Tensor> dense = c.fit(TRAIN.frame(2)).stateDict();
        Map<String, Tensor> fromSparse = c.fit(sparseFrame).stateDict();
        dense.forEach((name, t) -> assertArrayEquals(t.toArray(), fromSparse.get(name).toArray(), name));
    }
}
