package dev.autodiff.spark;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each mistake a user can make with the input gets a message that names it. */
class BadInputTest {

    private static MlpClassifier classifier() {
        return new MlpClassifier().setLayers(3, 4, 2).setMaxIter(1).setBlockSize(4);
    }

    private static Dataset<Row> frame(List<Row> rows) {
        return SparkTests.spark().createDataFrame(rows, SparkTests.SCHEMA);
    }

    /** Ten good rows with {@code bad} put at index 6. */
    private static List<Row> rowsWith(Row bad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(RowFactory.create(Vectors.dense(i, 1, 2), (double) (i % 2)));
        }
        rows.set(6, bad);
        return rows;
    }

    private static void assertMessage(IllegalArgumentException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }

    @Test
    void featuresColumnThatIsNotAVector() {
        StructType schema = new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType);
        Dataset<Row> df = SparkTests.spark().createDataFrame(List.of(RowFactory.create("1,2,3", 0.0)), schema);
        var e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(df));
        assertMessage(e, "MlpClassifier", "'features'", "Vector", "string", "VectorAssembler");
    }

    @Test
    void missingColumnListsTheColumns() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLabelCol("target").fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)))));
        assertMessage(e, "no column 'target'", "[features, label]");
    }

    @Test
    void labelColumnThatIsNotNumeric() {
        StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", DataTypes.StringType);
        Dataset<Row> df = SparkTests.spark().createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3), "cat")),
                schema);
        var e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(df));
        assertMessage(e, "label column 'label'", "numeric", "StringIndexer");
    }

    @Test
    void labelThatIsNotAWholeNumber() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), 0.5)))));
        assertMessage(e, "row 6", "label 0.5", "[0, 2)");
    }

    @Test
    void labelOutOfRange() {
        var high = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), 2.0)))));
        assertMessage(high, "row 6", "label 2.0", "ends with 2 outputs");
        var negative = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), -1.0)))));
        assertMessage(negative, "row 6", "label -1.0");
    }

    @Test
    void nullLabelOrFeatures() {
        var label = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), null)))));
        assertMessage(label, "row 6", "label is null");
        var features = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(null, 1.0)))));
        assertMessage(features, "row 6", "features are null");
    }

    @Test
    void firstLayerSizeThatDiffersFromTheFeatureSize() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLayers(5, 4, 2).fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)))));
        assertMessage(e, "row 0", "3 values", "layers starts with 5 inputs");
    }

    @Test
    void nonFiniteFeature() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(frame(rowsWith(RowFactory.create(Vectors.dense(1, Double.NaN, 3), 1.0)))));
        assertMessage(e, "row 6", "feature 1 is NaN");
    }

    @Test
    void emptyDataFrame() {
        var e = assertThrows(IllegalArgumentException.class, () -> classifier().fit(frame(List.of())));
        assertMessage(e, "MlpClassifier", "no rows");
    }

    @Test
    void layersNotSetOrTooShort() {
        Dataset<Row> df = frame(rowsWith(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)));
        var unset = assertThrows(IllegalArgumentException.class, () -> new MlpClassifier().fit(df));
        assertMessage(unset, "set layers first");
        var one = assertThrows(IllegalArgumentException.class, () -> new MlpClassifier().setLayers(3).fit(df));
        assertMessage(one, "at least an input and an output size");
    }

    @Test
    void outOfRangeParamsAreRejectedWhenSet() {
        var e = assertThrows(IllegalArgumentException.class, () -> new MlpClassifier().setOptimizer("adamax"));
        assertMessage(e, "optimizer", "adamax");
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier().setBlockSize(0));
        assertThrows(IllegalArgumentException.class, () -> new MlpClassifier().setStepSize(-1));
    }

    @Test
    void divergenceStopsWithAClearMessage() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(Vectors.dense(1e30 * (i % 3), -1e30, 1e30), (double) (i % 2)));
        }
        var e = assertThrows(IllegalStateException.class,
                () -> classifier().setStepSize(10).fit(frame(rows)));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }
}
