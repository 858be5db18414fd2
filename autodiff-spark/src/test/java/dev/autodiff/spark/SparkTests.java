package dev.autodiff.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One local[2] Spark session for all tests, and seeded data sets of labelled blobs. */
final class SparkTests {
    private static SparkSession session;

    private SparkTests() {}

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("autodiff-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);

    /**
     * {@code rows} rows of {@code features} features in {@code classes} Gaussian blobs (class
     * c centred on 2.5 at coordinate c mod features), separable enough to learn.
     */
    static Blobs blobs(int rows, int features, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rng.nextInt(classes);
            for (int f = 0; f < features; f++) {
                double centre = f == labels[r] % features ? 2.5 : 0;
                x[r * features + f] = (float) (centre + gaussian(rng) * 0.8 + 0.3 * f);
            }
        }
        return new Blobs(x, labels, features);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Rows as float arrays (as training sees them) and their labels. */
    record Blobs(float[] x, int[] labels, int features) {
        int rows() {
            return labels.length;
        }

        List<Row> toRows() {
            List<Row> out = new ArrayList<>();
            for (int r = 0; r < rows(); r++) {
                double[] v = new double[features];
                for (int f = 0; f < features; f++) {
                    v[f] = x[r * features + f];
                }
                out.add(RowFactory.create(Vectors.dense(v), (double) labels[r]));
            }
            return out;
        }

        /** A DataFrame (features, label) of these rows in order, in {@code partitions} contiguous slices. */
        Dataset<Row> frame(int partitions) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
            return spark().createDataFrame(jsc.parallelize(toRows(), partitions), SCHEMA);
        }
    }
}
