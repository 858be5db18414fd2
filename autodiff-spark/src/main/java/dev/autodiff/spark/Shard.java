package dev.autodiff.spark;

import dev.autodiff.nn.data.Preprocessing;
import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One partition of the training data as float arrays, read once from the DataFrame and
 * cached on its executor: the features row after row ({@code rows × features} values) and
 * the class labels. Reading stops at the first bad row and records what is wrong with it,
 * so that the driver can report it for the whole DataFrame instead of failing a task.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int features;
    final float[] x;
    final int[] labels;
    /** What is wrong with local row {@link #rows} (the first bad row), or null. */
    final String problem;

    private Shard(int partition, int rows, int features, float[] x, int[] labels, String problem) {
        this.partition = partition;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.labels = labels;
        this.problem = problem;
    }

    /**
     * Reads rows of (features vector, label as a double) until the end or the first bad
     * row: a missing value, a vector of another size, a non-finite feature, or a label that
     * is not a whole number in {@code [0, classes)}.
     */
    static Shard read(int partition, Iterator<Row> rows, int features, int classes) {
        FloatArrayList x = new FloatArrayList();
        IntArrayList labels = new IntArrayList();
        float[] work = new float[features];
        String problem = null;
        long limit = Integer.MAX_VALUE - 8;
        while (problem == null && rows.hasNext()) {
            Row row = rows.next();
            problem = row.isNullAt(0) ? "the features are null"
                    : row.isNullAt(1) ? "the label is null"
                    : labelProblem(row.getDouble(1), classes);
            if (problem == null && (long) x.size() + features > limit) {
                problem = "the partition holds more than " + limit + " feature values; repartition the DataFrame";
            }
            if (problem == null) {
                problem = append(row.getAs(0), work, x);
            }
            if (problem == null) {
                labels.add((int) row.getDouble(1));
            }
        }
        return new Shard(partition, labels.size(), features, x.toFloatArray(), labels.toIntArray(), problem);
    }

    private static String labelProblem(double label, int classes) {
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            return "the label " + label + " is not a class index (a whole number in [0, " + classes + "), as layers"
                    + " ends with " + classes + " outputs)";
        }
        return null;
    }

    /** Appends the vector's values to {@code x} through {@code row} (a work array), or returns what is wrong with it. */
    private static String append(Vector v, float[] row, FloatArrayList x) {
        if (v.size() != row.length) {
            return "the features vector has " + v.size() + " values, but layers starts with " + row.length + " inputs";
        }
        Arrays.fill(row, 0f);
        FeatureVectors.copy(v, row, 0);
        for (int i = 0; i < row.length; i++) {
            if (!Float.isFinite(row[i])) {
                return "feature " + i + " is " + row[i] + " (as a float)";
            }
        }
        x.addElements(x.size(), row);
        return null;
    }

    /** The same rows with {@code preprocessing} (as JSON) applied to the features. */
    Shard preprocessed(String preprocessingJson) {
        float[] scaled = x.clone();
        Preprocessing.fromJson(preprocessingJson).applyInPlace(scaled, features);
        return new Shard(partition, rows, features, scaled, labels, problem);
    }

    /** What the driver learns of this partition: its rows, its first bad row's problem, and (if asked) the feature moments. */
    Summary summary(boolean withMoments) {
        return new Summary(partition, rows, problem, withMoments ? FeatureMoments.of(x, rows, features) : null);
    }

    /**
     * @param partition the partition's index
     * @param rows the good rows read (the local number of the bad row, when there is one)
     * @param problem what is wrong with the first bad row, or null
     * @param moments the feature moments of the rows, or null
     */
    record Summary(int partition, int rows, String problem, FeatureMoments moments) implements Serializable {
    }
}
