package dev.autodiff.spark.apps;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.IdxFolder;
import dev.autodiff.nn.data.TensorDataset;
import dev.autodiff.spark.EpochReport;
import dev.autodiff.spark.MlpClassificationModel;
import dev.autodiff.spark.MlpClassifier;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.apache.spark.sql.functions.col;

/**
 * Fashion-MNIST side by side: our {@link MlpClassifier} and MLlib's
 * {@link MultilayerPerceptronClassifier} (its default solver, L-BFGS), both 784-256-10 on
 * pixels / 255 with batch 128, trained in one Spark session from one DataFrame (read from
 * Parquet). Prints the wall-clock time each needs to reach the target test accuracy and
 * the accuracy each has after the same budget.
 *
 * <p>Our accuracy is measured after every epoch of one fit (the evaluation's time is not
 * counted); MLlib's fit cannot be observed midway, so it is fitted from scratch for each
 * {@code maxIter} of a ladder and timed as a whole. Both times include reading and packing
 * the data. Options (all optional): {@code --data DIR}, {@code --parquet DIR},
 * {@code --epochs N}, {@code --local-steps 1,16}, {@code --mllib-iterations 20,40,...}
 * ({@code none}: skip MLlib), {@code --budget SECONDS}, {@code --target 0.85}, {@code --save DIR},
 * {@code --partitions 2}, {@code --warmup true} (an unmeasured fit of each first),
 * {@code --raw-pixels false} (true: the DataFrame holds the pixels 0-255 and ours
 * standardizes them, so that its saved model describes its input from the raw pixels and
 * {@code autodiff eval --dataset fashion-mnist} can evaluate it).
 */
public final class FashionMnistBenchmark {
    private static final int[] LAYERS = {784, 256, 10};

    private FashionMnistBenchmark() {}

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("fashion-mnist-benchmark");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[2]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        TensorDataset testArrays = IdxFolder.test(o.data, !o.rawPixels);
        Dataset<Row> train = frame(spark, o, "train");
        Dataset<Row> test = frame(spark, o, "test");
        System.out.printf(Locale.ROOT, "Fashion-MNIST: %d train rows in %d partitions, %d test rows; master %s, %d cores%n",
                train.count(), train.rdd().getNumPartitions(), test.count(), spark.sparkContext().master(),
                Runtime.getRuntime().availableProcessors());

        if (o.warmup) {
            // Both sides once, unmeasured, so that neither pays the JVM's and Spark's warm-up alone.
            System.out.println("warm-up: one epoch of ours and 2 iterations of MLlib, not measured");
            new MlpClassifier().setLayers(LAYERS).setMaxIter(1).setLocalSteps(16).setSeed(2).fit(train);
            new MultilayerPerceptronClassifier().setLayers(LAYERS).setMaxIter(2).setSeed(2).fit(train);
        }
        List<Curve> curves = new ArrayList<>();
        for (int k : o.localSteps) {
            curves.add(ours(train, testArrays, o, k));
        }
        if (o.mllibIterations.length > 0) {
            curves.add(mllib(train, test, o));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "summary (target %.0f%% test accuracy, budget %.0f s):%n", 100 * o.target, o.budget);
        for (Curve c : curves) {
            System.out.printf(Locale.ROOT, "  %-28s time to %.0f%%: %s   accuracy within %.0f s: %s%n", c.name,
                    100 * o.target, c.timeTo(o.target), o.budget, c.accuracyWithin(o.budget));
        }
        spark.stop();
    }

    /** One fit of ours, its test accuracy after each epoch against the time since fit() began. */
    private static Curve ours(Dataset<Row> train, TensorDataset test, Options o, int localSteps) throws IOException {
        Curve curve = new Curve("ours, localSteps " + localSteps);
        long[] evaluationNanos = {0};
        long start = System.nanoTime();
        MlpClassifier classifier = new MlpClassifier().setLayers(LAYERS).setBlockSize(128).setMaxIter(o.epochs)
                .setSeed(1).setLocalSteps(localSteps).setStandardization(o.rawPixels)
                .setEpochListener((EpochReport report, MlpClassificationModel model) -> {
                    long evalStart = System.nanoTime();
                    double seconds = (evalStart - start - evaluationNanos[0]) / 1e9;
                    double accuracy = accuracy(model, test);
                    curve.add(seconds, accuracy);
                    System.out.printf(Locale.ROOT, "%s: %s  at %.1f s  test %.2f%%  (%.1f ms per round)%n", curve.name,
                            report, seconds, 100 * accuracy, 1000 * report.seconds() / report.rounds());
                    evaluationNanos[0] += System.nanoTime() - evalStart;
                });
        MlpClassificationModel model = classifier.fit(train);
        if (o.save != null) {
            model.write().overwrite().save(o.save + "-k" + localSteps);
        }
        return curve;
    }

    /** The test accuracy of a model's weights, computed on the driver with our nn. */
    private static double accuracy(MlpClassificationModel model, TensorDataset test) {
        SplittableRandom rng = new SplittableRandom(0);
        Sequential net = new Sequential(new Linear(784, 256, rng), new ReLU(), new Linear(256, 10, rng));
        net.loadStateDict(model.stateDict(), true);
        net.eval();
        float[] x = test.features().toArray();
        model.preprocessing().applyInPlace(x, 784);
        int[] predicted;
        try (var scope = NoGrad.enter()) {
            predicted = net.forward(Tensor.of(x, test.size(), 784)).argmax();
        }
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == test.labels()[i] ? 1 : 0;
        }
        return correct / (double) predicted.length;
    }

    /** MLlib fitted from scratch for each maxIter of the ladder. */
    private static Curve mllib(Dataset<Row> train, Dataset<Row> test, Options o) {
        Curve curve = new Curve("MLlib L-BFGS");
        long testRows = test.count();
        for (int iterations : o.mllibIterations) {
            long start = System.nanoTime();
            MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier().setLayers(LAYERS)
                    .setBlockSize(128).setSeed(1).setMaxIter(iterations).fit(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = model.transform(test).filter(col("prediction").equalTo(col("label"))).count()
                    / (double) testRows;
            curve.add(seconds, accuracy);
            System.out.printf(Locale.ROOT, "%s: maxIter %d  fit %.1f s  test %.2f%%%n", curve.name, iterations, seconds,
                    100 * accuracy);
        }
        return curve;
    }

    /**
     * The split as a DataFrame (features: pixels / 255, label) read from Parquet, written
     * there first if missing: rows built on the driver would travel inside every task.
     */
    private static Dataset<Row> frame(SparkSession spark, Options o, String split) throws IOException {
        Path dir = o.parquet.resolve(o.rawPixels ? split + "-raw" : split);
        if (!Files.isDirectory(dir)) {
            boolean unit = !o.rawPixels;
            TensorDataset data = split.equals("train") ? IdxFolder.train(o.data, unit) : IdxFolder.test(o.data, unit);
            float[] x = data.features().toArray();
            List<Row> rows = new ArrayList<>(data.size());
            for (int r = 0; r < data.size(); r++) {
                double[] v = new double[784];
                for (int f = 0; f < 784; f++) {
                    v[f] = x[r * 784 + f];
                }
                rows.add(RowFactory.create(Vectors.dense(v), (double) data.labels()[r]));
            }
            spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
                            .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                            .add("label", org.apache.spark.sql.types.DataTypes.DoubleType))
                    .coalesce(o.partitions).write().parquet(dir.toString());
        }
        Dataset<Row> df = spark.read().parquet(dir.toString());
        return df.rdd().getNumPartitions() > o.partitions ? df.coalesce(o.partitions) : df;
    }

    /** Test accuracy against seconds since the fit began. */
    private static final class Curve {
        final String name;
        final List<double[]> points = new ArrayList<>();

        Curve(String name) {
            this.name = name;
        }

        void add(double seconds, double accuracy) {
            points.add(new double[] {seconds, accuracy});
        }

        String timeTo(double target) {
            for (double[] p : points) {
                if (p[1] >= target) {
                    return String.format(Locale.ROOT, "%.1f s", p[0]);
                }
            }
            return "not reached";
        }

        String accuracyWithin(double budget) {
            double best = -1;
            double at = 0;
            for (double[] p : points) {
                if (p[0] <= budget && p[0] >= at) {
                    best = p[1];
                    at = p[0];
                }
            }
            return best < 0 ? "none finished" : String.format(Locale.ROOT, "%.2f%% (at %.1f s)", 100 * best, at);
        }
    }

    private record Options(Path data, Path parquet, int epochs, int[] localSteps, int[] mllibIterations, double budget,
                           double target, String save, int partitions, boolean warmup, boolean rawPixels) {
        static Options parse(String[] args) {
            Path data = Path.of("/usr/share/datasets/fashion-mnist");
            Path parquet = Path.of(System.getProperty("java.io.tmpdir"), "autodiff-fashion-mnist-parquet");
            int epochs = 10;
            int[] localSteps = {1, 16};
            int[] mllib = {10, 20, 40, 60, 80, 100};
            double budget = 60;
            double target = 0.85;
            String save = null;
            int partitions = 2;
            boolean warmup = true;
            boolean rawPixels = false;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                switch (args[i]) {
                    case "--data" -> data = Path.of(v);
                    case "--parquet" -> parquet = Path.of(v);
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--local-steps" -> localSteps = ints(v);
                    case "--mllib-iterations" -> mllib = ints(v);
                    case "--budget" -> budget = Double.parseDouble(v);
                    case "--target" -> target = Double.parseDouble(v);
                    case "--save" -> save = v;
                    case "--partitions" -> partitions = Integer.parseInt(v);
                    case "--warmup" -> warmup = Boolean.parseBoolean(v);
                    case "--raw-pixels" -> rawPixels = Boolean.parseBoolean(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
            }
            return new Options(data, parquet, epochs, localSteps, mllib, budget, target, save, partitions, warmup,
                    rawPixels);
        }

        private static int[] ints(String csv) {
            return csv.isBlank() || csv.equals("none") ? new int[0]
                    : Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        }
    }
}
