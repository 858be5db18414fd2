package dev.autodiff.spark;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Labeled;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.SchedulePreset;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a multilayer perceptron classifier with autodiff on a Spark cluster: a Spark ML
 * {@link Estimator} that fits into a {@code Pipeline}, with the params of MLlib's
 * {@code MultilayerPerceptronClassifier} where they mean the same ({@code layers},
 * {@code maxIter} = epochs, {@code blockSize} = batch size, {@code stepSize} = learning
 * rate, {@code seed} and the column names) and its own ({@code activation},
 * {@code optimizer}, {@code momentum}, {@code weightDecay}, {@code schedule},
 * {@code standardization}, {@code localSteps}).
 *
 * <pre>{@code
 * MlpClassificationModel model = new MlpClassifier()
 *         .setLayers(784, 256, 10)
 *         .setMaxIter(5)
 *         .fit(train);
 * Dataset<Row> predictions = model.transform(test);
 * }</pre>
 *
 * <p>Input: a {@code Vector} features column (dense or sparse) and a numeric label column
 * of class indices {@code 0 .. layers[last] - 1}. Each partition's rows are read once into
 * float arrays cached on its executor; training is data-parallel, one replica per
 * partition (see {@link #localSteps()}). The epoch order is drawn from the seed, so a
 * fit is reproducible.
 */
public final class MlpClassifier extends Estimator<MlpClassificationModel>
        implements ClassifierColumns<MlpClassifier>, MLWritable {
    private static final String STAGE = "MlpClassifier";
    private static final Logger LOG = LoggerFactory.getLogger(MlpClassifier.class);

    private final String uid;
    private final Columns columns;
    private EpochListener epochListener;

    private final Param<String> labelCol;
    private final LongParam seed;
    private final IntArrayParam layers;
    private final IntParam maxIter;
    private final IntParam blockSize;
    private final DoubleParam stepSize;
    private final Param<String> activation;
    private final Param<String> optimizer;
    private final DoubleParam momentum;
    private final DoubleParam weightDecay;
    private final Param<String> schedule;
    private final BooleanParam standardization;
    private final IntParam localSteps;

    /** A classifier with a random uid. */
    public MlpClassifier() {
        this(Identifiable.randomUID("mlpc"));
    }

    /** A classifier with the given uid (as Spark ML stages are restored). */
    public MlpClassifier(String uid) {
        this.uid = uid;
        this.columns = new Columns(this);
        labelCol = new Param<>(this, "labelCol", "label column name");
        seed = new LongParam(this, "seed", "seed of the initialization and the shuffling");
        layers = new IntArrayParam(this, "layers",
                "layer sizes from the input to the output layer, e.g. [784, 256, 10]: features, hidden sizes, classes");
        maxIter = new IntParam(this, "maxIter", "number of epochs (passes over the data)",
                ParamValidators.gt(0));
        blockSize = new IntParam(this, "blockSize",
                "rows in one batch, across all partitions", ParamValidators.gt(0));
        stepSize = new DoubleParam(this, "stepSize",
                "initial learning rate (default: 0.05 for sgd, 1e-3 for adam, adamw and rmsprop, 1e-2 for adagrad)",
                ParamValidators.gt(0));
        activation = new Param<>(this, "activation",
                "activation between layers: " + String.join(", ", Labeled.labels(Activation.class)),
                ParamValidators.inArray(Labeled.labels(Activation.class)));
        optimizer = new Param<>(this, "optimizer",
                "optimizer: " + String.join(", ", Labeled.labels(OptimizerKind.class)),
                ParamValidators.inArray(Labeled.labels(OptimizerKind.class)));
        momentum = new DoubleParam(this, "momentum", "momentum of sgd and rmsprop",
                ParamValidators.gtEq(0));
        weightDecay = new DoubleParam(this, "weightDecay",
                "weight decay (default: 0, and 0.01 for adamw)", ParamValidators.gtEq(0));
        schedule = new Param<>(this, "schedule",
                "learning-rate schedule over the epochs: none, step (x0.1 every third of the run), cosine, or "
                        + "warmup-cosine (linear warm-up over a tenth of the run)",
                ParamValidators.inArray(Labeled.labels(SchedulePreset.class)));
        standardization = new BooleanParam(this, "standardization",
                "whether to standardize each feature with its mean and standard deviation over the training data "
                        + "(stored in the model and applied by it)");
        localSteps = new IntParam(this, "localSteps",
                "optimizer steps each partition takes on its own rows between two averagings of the replicas; "
                        + "1 = synchronous training (gradients averaged every step)", ParamValidators.gt(0));
        setDefault(labelCol, "label");
        setDefault(seed, 42L);
        setDefault(maxIter, 10);
        setDefault(blockSize, 128);
        setDefault(activation, "relu");
        setDefault(optimizer, "sgd");
        setDefault(momentum, 0.9);
        setDefault(schedule, "none");
        setDefault(standardization, false);
        setDefault(localSteps, 1);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    // ---------------------------------------------------------------- params

    public Param<String> labelCol() {
        return labelCol;
    }

    public LongParam seed() {
        return seed;
    }

    public IntArrayParam layers() {
        return layers;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public IntParam blockSize() {
        return blockSize;
    }

    public DoubleParam stepSize() {
        return stepSize;
    }

    public Param<String> activation() {
        return activation;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public DoubleParam momentum() {
        return momentum;
    }

    public DoubleParam weightDecay() {
        return weightDecay;
    }

    public Param<String> schedule() {
        return schedule;
    }

    public BooleanParam standardization() {
        return standardization;
    }

    /**
     * Optimizer steps between two averagings. With 1 (the default) training is synchronous:
     * every step averages the gradients of all partitions, and the model equals (to float
     * rounding) one trained on one machine with a {@code DataLoader} of the same seed and
     * batch size over the rows in the DataFrame's order, whatever the partitioning. With K > 1
     * (local SGD) each partition takes K steps on its share of K batches, then parameters
     * and optimizer state are averaged: K times fewer Spark jobs, for a model that depends
     * on the partitioning.
     */
    public IntParam localSteps() {
        return localSteps;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    /** The layer sizes; there is no default, as in MLlib. */
    public int[] getLayers() {
        if (!isDefined(layers)) {
            throw new IllegalArgumentException(STAGE + ": set layers first, e.g. setLayers(784, 256, 10)"
                    + " for 784 features, one hidden layer of 256 and 10 classes");
        }
        return ((int[]) getOrDefault(layers)).clone();
    }

    public int getMaxIter() {
        return (Integer) getOrDefault(maxIter);
    }

    public int getBlockSize() {
        return (Integer) getOrDefault(blockSize);
    }

    /** The learning rate: as set, or the optimizer's default. */
    public double getStepSize() {
        return isDefined(stepSize) ? (Double) getOrDefault(stepSize) : optimizerKind().spec().defaultLr();
    }

    public String getActivation() {
        return getOrDefault(activation);
    }

    public String getOptimizer() {
        return getOrDefault(optimizer);
    }

    public double getMomentum() {
        return (Double) getOrDefault(momentum);
    }

    /** The weight decay: as set, or the optimizer's default. */
    public double getWeightDecay() {
        return isDefined(weightDecay) ? (Double) getOrDefault(weightDecay)
                : optimizerKind().spec().defaultOf(OptimizerChoice.WEIGHT_DECAY);
    }

    public String getSchedule() {
        return getOrDefault(schedule);
    }

    public boolean getStandardization() {
        return (Boolean) getOrDefault(standardization);
    }

    public int getLocalSteps() {
        return (Integer) getOrDefault(localSteps);
    }

    public MlpClassifier setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public MlpClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    public MlpClassifier setLayers(int... value) {
        set(layers, value.clone());
        return this;
    }

    public MlpClassifier setMaxIter(int value) {
        set(maxIter, value);
        return this;
    }

    public MlpClassifier setBlockSize(int value) {
        set(blockSize, value);
        return this;
    }

    public MlpClassifier setStepSize(double value) {
        set(stepSize, value);
        return this;
    }

    public MlpClassifier setActivation(String value) {
        set(activation, value);
        return this;
    }

    public MlpClassifier setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    public MlpClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    public MlpClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    public MlpClassifier setSchedule(String value) {
        set(schedule, value);
        return this;
    }

    public MlpClassifier setStandardization(boolean value) {
        set(standardization, value);
        return this;
    }

    public MlpClassifier setLocalSteps(int value) {
        set(localSteps, value);
        return this;
    }

    /**
     * Calls {@code listener} on the driver after each epoch of {@link #fit} (null: none). It is
     * not a param: copies of this stage keep it, but it is not saved.
     */
    public MlpClassifier setEpochListener(EpochListener listener) {
        this.epochListener = listener;
        return this;
    }

    private OptimizerKind optimizerKind() {
        return OptimizerKind.fromLabel(getOptimizer());
    }

    // ---------------------------------------------------------------- fitting

    @Override
    public StructType transformSchema(StructType schema) {
        Schemas.requireVector(STAGE, schema, getFeaturesCol());
        Schemas.requireNumeric(STAGE, schema, getLabelCol());
        return Schemas.withOutputs(STAGE, schema, getPredictionCol(), getProbabilityCol(), getRawPredictionCol(),
                network().outputs());
    }

    @Override
    public MlpClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Network network = network();
        DataParallelTrainer.Config config = new DataParallelTrainer.Config(network,
                new OptimizerChoice(optimizerKind(), getStepSize(), getMomentum(), getWeightDecay()),
                SchedulePreset.fromLabel(getSchedule()), getMaxIter(), getBlockSize(), getSeed(),
                getLocalSteps());
        try (TrainingData data = TrainingData.load(dataset, getFeaturesCol(), getLabelCol(), network.inputs(),
                network.outputs(), getStandardization())) {
            DataParallelTrainer trainer = new DataParallelTrainer(data, config);
            EpochListener listener = epochListener;
            List<EpochReport> history = trainer.train((report, model) -> {
                LOG.info("{}: {}", uid, report);
                if (listener != null) {
                    listener.afterEpoch(report, model(network, snapshot(network, model), data, config, List.of()));
                }
            });
            return model(network, trainer.model(), data, config, history);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STAGE + ": " + e.getMessage(), e);
        }
    }

    private Network network() {
        try {
            return new Network(getLayers(), Activation.fromLabel(getActivation()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STAGE + ": " + e.getMessage(), e);
        }
    }

    private static Sequential snapshot(Network network, Sequential model) {
        Sequential copy = network.build(0);
        Network.load(copy, Network.flatten(model), 1f);
        return copy;
    }

    private MlpClassificationModel model(Network network, Sequential trained, TrainingData data,
                                         DataParallelTrainer.Config config, List<EpochReport> history) {
        Map<String, String> training = new LinkedHashMap<>();
        training.put("seed", Long.toString(config.seed()));
        training.put("epochs", Integer.toString(history.isEmpty() ? 0 : history.getLast().epoch()));
        training.put("optimizer.name", config.optimizer().kind().label());
        training.put("batch", Integer.toString(config.batchSize()));
        training.put("local_steps", Integer.toString(config.localSteps()));
        MlpClassificationModel model = new MlpClassificationModel(uid, network, trained, data.preprocessing(), training,
                history);
        return copyValues(model, extractParamMap()).setParent(this);
    }

    @Override
    public MlpClassifier copy(ParamMap extra) {
        MlpClassifier copy = defaultCopy(extra);
        return copy.setEpochListener(epochListener);
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public MLWriter write() {
        return ParamsMetadata.writer(this);
    }

    /** A reader of saved classifiers; Spark's pipelines call it. */
    public static MLReader<MlpClassifier> read() {
        return ParamsMetadata.reader(MlpClassifier.class, (uid, path, spark) -> new MlpClassifier(uid));
    }

    /** Reads a classifier saved with {@code write().save(path)}. */
    public static MlpClassifier load(String path) {
        return read().load(path);
    }
}
