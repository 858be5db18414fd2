package dev.autodiff.spark;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Preprocessing;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The forward pass of a trained network over the rows of one partition, in batches of
 * {@link #BATCH} rows without recording for backward: each row comes back with the raw
 * prediction (the last layer's outputs), the probabilities (their softmax) and the
 * predicted class appended, as the model's output flags ask.
 */
final class BatchPredictor {
    /** Rows per forward pass: large enough for the GEMM kernels to run at speed, small enough to stream. */
    static final int BATCH = 1024;
    private static final Preprocessing IDENTITY = Preprocessing.identity();

    private final Network network;
    private final Sequential model;
    private final Preprocessing preprocessing;

    /** A predictor of {@code network} with the parameters {@code weights} (flat) and the input {@code preprocessing}. */
    BatchPredictor(Network network, float[] weights, Preprocessing preprocessing) {
        this.network = network;
        this.model = network.build(0);
        Network.load(model, weights, 1f);
        model.eval();
        this.preprocessing = preprocessing;
    }

    /** Which columns to append, in this order. */
    record Outputs(boolean rawPrediction, boolean probability, boolean prediction) implements Serializable {
    }

    /**
     * The last layer's outputs for {@code rows} rows of features stored one after the other
     * in {@code x} (raw values, before the preprocessing, which is applied in place).
     */
    float[] logits(float[] x, int rows) {
        if (!preprocessing.equals(IDENTITY)) {
            preprocessing.applyInPlace(x, network.inputs());
        }
        try (var scope = NoGrad.enter()) {
            return model.forward(Tensor.of(x, rows, network.inputs())).toArray();
        }
    }

    /** The rows of {@code input} with the outputs appended; the vectors are read from column {@code featuresIndex}. */
    Iterator<Row> apply(Iterator<Row> input, int featuresIndex, Outputs outputs) {
        return new Iterator<>() {
            private final List<Row> pending = new ArrayList<>(BATCH);
            private Iterator<Row> ready = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!ready.hasNext() && input.hasNext()) {
                    ready = nextBatch();
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.next();
            }

            private Iterator<Row> nextBatch() {
                pending.clear();
                while (pending.size() < BATCH && input.hasNext()) {
                    pending.add(input.next());
                }
                int d = network.inputs();
                float[] x = new float[pending.size() * d];
                for (int r = 0; r < pending.size(); r++) {
                    copyFeatures(pending.get(r), featuresIndex, x, r * d);
                }
                float[] logits = logits(x, pending.size());
                List<Row> out = new ArrayList<>(pending.size());
                for (int r = 0; r < pending.size(); r++) {
                    out.add(withOutputs(pending.get(r), logits, r, outputs));
                }
                return out.iterator();
            }
        };
    }

    private void copyFeatures(Row row, int featuresIndex, float[] x, int offset) {
        if (row.isNullAt(featuresIndex)) {
            throw new IllegalArgumentException("MlpClassificationModel: a row has null features");
        }
        Vector v = row.getAs(featuresIndex);
        if (v.size() != network.inputs()) {
            throw new IllegalArgumentException("MlpClassificationModel: a features vector has " + v.size()
                    + " values, the model " + network + " expects " + network.inputs());
        }
        FeatureVectors.copy(v, x, offset);
    }

    private Row withOutputs(Row row, float[] logits, int r, Outputs outputs) {
        int classes = network.outputs();
        double[] raw = new double[classes];
        for (int c = 0; c < classes; c++) {
            raw[c] = logits[r * classes + c];
        }
        Object[] values = new Object[row.size() + 3];
        int n = 0;
        for (int i = 0; i < row.size(); i++) {
            values[n++] = row.get(i);
        }
        if (outputs.rawPrediction()) {
            values[n++] = new DenseVector(raw.clone());
        }
        if (outputs.probability()) {
            values[n++] = new DenseVector(softmax(raw));
        }
        if (outputs.prediction()) {
            values[n++] = (double) argmax(raw);
        }
        return RowFactory.create(Arrays.copyOf(values, n));
    }

    /** The softmax of {@code z}, computed stably (the maximum subtracted first). */
    static double[] softmax(double[] z) {
        double max = z[argmax(z)];
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The index of the largest value, the first one on ties. */
    static int argmax(double[] z) {
        int best = 0;
        for (int i = 1; i < z.length; i++) {
            if (z[i] > z[best]) {
                best = i;
            }
        }
        return best;
    }
}
