package dev.autodiff.spark;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The column params that {@link MlpClassifier} and {@link MlpClassificationModel} share,
 * with the names and defaults of MLlib's classifiers: {@code featuresCol} ("features"),
 * {@code predictionCol} ("prediction"), {@code probabilityCol} ("probability") and
 * {@code rawPredictionCol} ("rawPrediction"). An output column named "" is not produced.
 *
 * @param <S> the stage, which the setters return
 */
public interface ClassifierColumns<S extends ClassifierColumns<S>> extends Params {

    /** This stage's column params (not a param itself). */
    Columns columns();

    default Param<String> featuresCol() {
        return columns().featuresCol;
    }

    default Param<String> predictionCol() {
        return columns().predictionCol;
    }

    default Param<String> probabilityCol() {
        return columns().probabilityCol;
    }

    default Param<String> rawPredictionCol() {
        return columns().rawPredictionCol;
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default String getProbabilityCol() {
        return getOrDefault(probabilityCol());
    }

    default String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol());
    }

    default S setFeaturesCol(String value) {
        set(featuresCol(), value);
        return self();
    }

    default S setPredictionCol(String value) {
        set(predictionCol(), value);
        return self();
    }

    default S setProbabilityCol(String value) {
        set(probabilityCol(), value);
        return self();
    }

    default S setRawPredictionCol(String value) {
        set(rawPredictionCol(), value);
        return self();
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** The four params of one stage, made with it and given their defaults. */
    final class Columns {
        private final Param<String> featuresCol;
        private final Param<String> predictionCol;
        private final Param<String> probabilityCol;
        private final Param<String> rawPredictionCol;

        Columns(Params owner) {
            featuresCol = new Param<>(owner, "featuresCol", "features column name");
            predictionCol = new Param<>(owner, "predictionCol", "prediction column name (empty: not produced)");
            probabilityCol = new Param<>(owner, "probabilityCol",
                    "column of the class probabilities (empty: not produced)");
            rawPredictionCol = new Param<>(owner, "rawPredictionCol",
                    "column of the last layer's outputs, before the softmax (empty: not produced)");
            owner.setDefault(featuresCol, "features");
            owner.setDefault(predictionCol, "prediction");
            owner.setDefault(probabilityCol, "probability");
            owner.setDefault(rawPredictionCol, "rawPrediction");
        }
    }
}
