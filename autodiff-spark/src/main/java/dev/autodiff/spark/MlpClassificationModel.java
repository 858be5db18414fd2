package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Preprocessing;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained multilayer perceptron classifier, made by {@link MlpClassifier#fit}. Its
 * {@link #transform} appends the raw prediction (the last layer's outputs), the class
 * probabilities (their softmax) and the predicted class, running the network's forward
 * pass on each partition in batches of {@value BatchPredictor#BATCH} rows.
 *
 * <p>{@link #save} writes Spark ML's metadata and, in {@code data/model.safetensors}, the
 * weights: the state dict of a PyTorch {@code Sequential} of {@code Linear} and activation
 * modules, with the architecture and the input preprocessing in its metadata, which our
 * nn ({@code Checkpoint}), the {@code autodiff} command line and PyTorch load.
 */
public final class MlpClassificationModel extends Model<MlpClassificationModel>
        implements ClassifierColumns<MlpClassificationModel>, MLWritable {
    private static final String STAGE = "MlpClassificationModel";

    private final String uid;
    private final Columns columns;
    private final Network network;
    private final Sequential model;
    private final Preprocessing preprocessing;
    private final Map<String, String> training;
    private final List<EpochReport> history;
    /** Serves the single-row predictions on the driver; made on first use. */
    private BatchPredictor predictor;

    MlpClassificationModel(String uid, Network network, Sequential model, Preprocessing preprocessing,
                           Map<String, String> training, List<EpochReport> history) {
        this.uid = uid;
        this.columns = new Columns(this);
        this.network = network;
        this.model = model;
        this.preprocessing = preprocessing;
        this.training = Map.copyOf(training);
        this.history = List.copyOf(history);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    // ---------------------------------------------------------------- the network

    /** The layer sizes: inputs, hidden sizes, classes. */
    public int[] layers() {
        return network.layers();
    }

    /** The activation between layers ({@code relu}, ...). */
    public String activation() {
        return network.activation().label();
    }

    public int numFeatures() {
        return network.inputs();
    }

    public int numClasses() {
        return network.outputs();
    }

    /** What is done to the features before the first layer, as fitted (identity without standardization). */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The weights under PyTorch's names ({@code 0.weight}, ...), as copies. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.stateDict().forEach((name, t) -> out.put(name, Tensor.of(t.toArray(), t.shape())));
        return out;
    }

    /** The report of each training epoch; empty for a model read from disk. */
    public List<EpochReport> trainingHistory() {
        return history;
    }

    /** The predicted class of one feature vector (raw values, as in the DataFrame). */
    public double predict(Vector features) {
        return BatchPredictor.argmax(predictRaw(features).toArray());
    }

    /** The last layer's outputs for one feature vector. */
    public Vector predictRaw(Vector features) {
        if (features.size() != network.inputs()) {
            throw new IllegalArgumentException(STAGE + ": the features vector has " + features.size()
                    + " values, the model " + network + " expects " + network.inputs());
        }
        float[] x = new float[features.size()];
        FeatureVectors.copy(features, x, 0);
        float[] logits = predictor().logits(x, 1);
        double[] raw = new double[logits.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = logits[i];
        }
        return new DenseVector(raw);
    }

    /** The class probabilities of one feature vector. */
    public Vector predictProbability(Vector features) {
        return new DenseVector(BatchPredictor.softmax(predictRaw(features).toArray()));
    }

    private BatchPredictor predictor() {
        if (predictor == null) {
            predictor = new BatchPredictor(network, Network.flatten(model), preprocessing);
        }
        return predictor;
    }

    // ---------------------------------------------------------------- transform

    @Override
    public StructType transformSchema(StructType schema) {
        Schemas.requireVector(STAGE, schema, getFeaturesCol());
        return Schemas.withOutputs(STAGE, schema, getPredictionCol(), getProbabilityCol(), getRawPredictionCol(),
                network.outputs());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int featuresIndex = dataset.schema().fieldIndex(getFeaturesCol());
        BatchPredictor.Outputs outputs = new BatchPredictor.Outputs(!getRawPredictionCol().isEmpty(),
                !getProbabilityCol().isEmpty(), !getPredictionCol().isEmpty());
        Network net = network;
        float[] weights = Network.flatten(model);
        String preprocessingJson = preprocessing.toJson();
        MapPartitionsFunction<Row, Row> predict = rows -> new BatchPredictor(net, weights,
                Preprocessing.fromJson(preprocessingJson)).apply(rows, featuresIndex, outputs);
        return dataset.toDF().mapPartitions(predict, Encoders.row(out));
    }

    @Override
    public MlpClassificationModel copy(ParamMap extra) {
        MlpClassificationModel copy = new MlpClassificationModel(uid, network, model, preprocessing, training, history);
        return copyValues(copy, extra).setParent(parent());
    }

    // ---------------------------------------------------------------- persistence

    /** Writes the params, and the weights to {@code data/model.safetensors}. */
    @Override
    public MLWriter write() {
        return ParamsMetadata.writer(this, (path, spark) -> {
            try {
                ModelFile.write(dataFile(path), spark.sparkContext().hadoopConfiguration(), model,
                        ModelFile.metadata(network, preprocessing, training));
            } catch (IOException e) {
                throw new UncheckedIOException(STAGE + ": cannot write " + dataFile(path) + ": " + e.getMessage(), e);
            }
        });
    }

    /** A reader of saved models, for {@code MlpClassificationModel.read().load(path)}; Spark's pipelines call it. */
    public static MLReader<MlpClassificationModel> read() {
        return ParamsMetadata.reader(MlpClassificationModel.class, (uid, path, spark) -> {
            ModelFile.Saved saved;
            try {
                saved = ModelFile.read(dataFile(path), spark.sparkContext().hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException(STAGE + ": cannot read " + dataFile(path) + ": " + e.getMessage(), e);
            }
            return new MlpClassificationModel(uid, saved.network(), saved.model(), saved.preprocessing(),
                    saved.training(), List.of());
        });
    }

    /** Reads a model saved with {@link #save}. */
    public static MlpClassificationModel load(String path) {
        return read().load(path);
    }

    private static org.apache.hadoop.fs.Path dataFile(String path) {
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(path, "data"), ModelFile.NAME);
    }

    @Override
    public String toString() {
        return STAGE + ": uid=" + uid + ", layers=" + network + ", preprocessing=" + preprocessing;
    }
}
