package dev.autodiff.spark;

import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/** Checks of input columns and the output columns of a classifier, with messages that say what to do. */
final class Schemas {
    private Schemas() {}

    /** The field {@code column}, or an exception that lists the columns there are. */
    static StructField field(String stage, StructType schema, String column) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f;
            }
        }
        throw new IllegalArgumentException(stage + ": there is no column '" + column + "'; the columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    /** Requires {@code column} to hold {@code org.apache.spark.ml.linalg.Vector}s. */
    static void requireVector(String stage, StructType schema, String column) {
        StructField f = field(stage, schema, column);
        if (!(f.dataType() instanceof VectorUDT)) {
            String hint = f.dataType().getClass().getName().startsWith("org.apache.spark.mllib")
                    ? " (this is the old org.apache.spark.mllib vector; convert with MLUtils.convertVectorColumnsToML)"
                    : " (assemble numeric columns into one with VectorAssembler)";
            throw new IllegalArgumentException(stage + ": the features column '" + column
                    + "' must hold org.apache.spark.ml.linalg.Vector values, but its type is "
                    + f.dataType().catalogString() + hint);
        }
    }

    /** Requires {@code column} to be numeric. */
    static void requireNumeric(String stage, StructType schema, String column) {
        StructField f = field(stage, schema, column);
        if (!(f.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(stage + ": the label column '" + column
                    + "' must be numeric (class indices 0, 1, ...), but its type is " + f.dataType().catalogString()
                    + " (index string labels with StringIndexer)");
        }
    }

    /**
     * {@code schema} with the prediction (a double), probability and raw prediction (vectors
     * of {@code classes} values) columns appended, each only if its name is not empty; ML
     * attributes tell later stages the number of classes.
     */
    static StructType withOutputs(String stage, StructType schema, String prediction, String probability,
                                  String rawPrediction, int classes) {
        StructType out = schema;
        if (!rawPrediction.isEmpty()) {
            out = append(stage, out, new AttributeGroup(rawPrediction, classes).toStructField());
        }
        if (!probability.isEmpty()) {
            out = append(stage, out, new AttributeGroup(probability, classes).toStructField());
        }
        if (!prediction.isEmpty()) {
            StructField f = NominalAttribute.defaultAttr().withName(prediction).withNumValues(classes).toStructField();
            out = append(stage, out, new StructField(prediction, DataTypes.DoubleType, false, f.metadata()));
        }
        return out;
    }

    private static StructType append(String stage, StructType schema, StructField field) {
        if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
            throw new IllegalArgumentException(stage + ": the output column '" + field.name()
                    + "' already exists; choose another name or drop it first");
        }
        return schema.add(field);
    }
}
