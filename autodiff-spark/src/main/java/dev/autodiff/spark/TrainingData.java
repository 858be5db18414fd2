package dev.autodiff.spark;

import dev.autodiff.nn.data.Preprocessing;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The training rows, read once from the DataFrame into float arrays that stay cached on
 * the executors, one {@link Shard} per partition, with the preprocessing applied. Rows are
 * numbered globally in the DataFrame's order: partition 0's rows first, then partition 1's.
 */
final class TrainingData implements AutoCloseable {
    private final JavaRDD<Shard> shards;
    private final int[] starts;
    private final int rows;
    private final Preprocessing preprocessing;

    private TrainingData(JavaRDD<Shard> shards, int[] starts, int rows, Preprocessing preprocessing) {
        this.shards = shards;
        this.starts = starts;
        this.rows = rows;
        this.preprocessing = preprocessing;
    }

    /**
     * Reads the features and label columns of {@code dataset}, checks every row (see
     * {@link Shard#read}), and standardizes the features with their training statistics
     * when {@code standardize} is set.
     *
     * @throws IllegalArgumentException for an empty DataFrame or a bad row, naming the row
     */
    static TrainingData load(Dataset<?> dataset, String featuresCol, String labelCol, int features, int classes,
                             boolean standardize) {
        JavaRDD<Row> rows = dataset.select(col(featuresCol), col(labelCol).cast("double")).toJavaRDD();
        JavaRDD<Shard> raw = rows.mapPartitionsWithIndex(
                (partition, it) -> List.of(Shard.read(partition, it, features, classes)).iterator(), true);
        raw.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Shard.Summary> summaries = raw.map(s -> s.summary(standardize)).collect();
            int[] starts = new int[summaries.size()];
            long total = 0;
            for (Shard.Summary s : summaries) {
                starts[s.partition()] = (int) Math.min(total, Integer.MAX_VALUE);
                if (s.problem() != null) {
                    throw new IllegalArgumentException("row " + (total + s.rows()) + " of the DataFrame (partition "
                            + s.partition() + ", row " + s.rows() + " there; columns '" + featuresCol + "' and '"
                            + labelCol + "'): " + s.problem());
                }
                total += s.rows();
            }
            if (total == 0) {
                throw new IllegalArgumentException("the DataFrame has no rows to train on");
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the DataFrame has " + total + " rows; at most "
                        + (Integer.MAX_VALUE - 8) + " can be trained on");
            }
            if (!standardize) {
                return new TrainingData(raw, starts, (int) total, Preprocessing.identity());
            }
            FeatureMoments moments = summaries.getFirst().moments();
            for (Shard.Summary s : summaries.subList(1, summaries.size())) {
                moments.merge(s.moments());
            }
            Preprocessing standardization = moments.standardization();
            String json = standardization.toJson();
            JavaRDD<Shard> scaled = raw.map(s -> s.preprocessed(json));
            scaled.persist(StorageLevel.MEMORY_AND_DISK());
            scaled.count();
            raw.unpersist(false);
            return new TrainingData(scaled, starts, (int) total, standardization);
        } catch (RuntimeException e) {
            raw.unpersist(false);
            throw e;
        }
    }

    /** The cached partitions. */
    JavaRDD<Shard> shards() {
        return shards;
    }

    /** The number of rows. */
    int rows() {
        return rows;
    }

    /** The global number of each partition's first row. */
    int[] starts() {
        return starts.clone();
    }

    /** What was done to the features before training; the model applies it before its forward pass. */
    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Frees the cached partitions. */
    @Override
    public void close() {
        shards.unpersist(false);
    }
}
