package dev.autodiff.spark;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/** Spark ML vectors, dense or sparse, into float rows. */
final class FeatureVectors {
    private FeatureVectors() {}

    /** Writes the values of {@code v} as floats into {@code x} from {@code offset}; where {@code v} is sparse, {@code x} must hold zeros. */
    static void copy(Vector v, float[] x, int offset) {
        if (v instanceof SparseVector s) {
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) {
                x[offset + indices[i]] = (float) values[i];
            }
        } else {
            double[] values = v instanceof DenseVector d ? d.values() : v.toArray();
            for (int i = 0; i < values.length; i++) {
                x[offset + i] = (float) values[i];
            }
        }
    }
}
