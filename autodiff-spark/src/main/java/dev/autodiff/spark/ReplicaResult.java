package dev.autodiff.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one partition sends back after a round, as float arrays: in synchronous training
 * the sum of its rows' gradients; in local SGD its parameters and optimizer buffers after
 * its local steps, multiplied by its weight (the rows it trained on), so that the sum over
 * partitions divided by the total weight is the weighted average. Also the sum of the
 * losses, the correct predictions and the rows, for the epoch's statistics.
 */
final class ReplicaResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] values;
    private final LinkedHashMap<String, float[]> buffers;
    private double lossSum;
    private long correct;
    private long rows;

    ReplicaResult(float[] values, LinkedHashMap<String, float[]> buffers, double lossSum, long correct, long rows) {
        this.values = values;
        this.buffers = buffers;
        this.lossSum = lossSum;
        this.correct = correct;
        this.rows = rows;
    }

    /**
     * The sum of {@code parts} taken in their order (the partitions' order), so that the
     * result does not depend on which task finished first.
     */
    static ReplicaResult sum(List<ReplicaResult> parts) {
        ReplicaResult total = null;
        for (ReplicaResult part : parts) {
            if (part.rows == 0) {
                continue;
            }
            if (total == null) {
                total = part;
            } else {
                total.add(part);
            }
        }
        if (total == null) {
            throw new IllegalStateException("no partition trained on any row in this round");
        }
        return total;
    }

    private void add(ReplicaResult other) {
        addInto(values, other.values);
        other.buffers.forEach((name, b) -> {
            float[] mine = buffers.get(name);
            if (mine == null) {
                buffers.put(name, b);
            } else {
                addInto(mine, b);
            }
        });
        lossSum += other.lossSum;
        correct += other.correct;
        rows += other.rows;
    }

    private static void addInto(float[] acc, float[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
    }

    /** The gradient sums, or the weighted parameters. */
    float[] values() {
        return values;
    }

    /** The weighted optimizer buffers by {@code index.name}; empty in synchronous training. */
    Map<String, float[]> buffers() {
        return buffers;
    }

    double lossSum() {
        return lossSum;
    }

    long correct() {
        return correct;
    }

    /** The rows trained on, which is also the weight of a local-SGD result. */
    long rows() {
        return rows;
    }
}
