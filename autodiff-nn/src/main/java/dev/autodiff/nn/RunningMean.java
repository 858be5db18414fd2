package dev.autodiff.nn;

import dev.autodiff.Tensor;

/**
 * The mean of a stream of values such as per-batch losses. It keeps only a double sum
 * and a count, never a tensor, so it cannot hold a computation graph alive.
 */
public final class RunningMean {
    private double sum;
    private long count;

    /** An empty mean. */
    public RunningMean() {}

    /** Adds one value. */
    public void add(double value) {
        sum += value;
        count++;
    }

    /** Adds one value {@code weight} times (for a batch mean over {@code weight} samples). */
    public void add(double value, long weight) {
        sum += value * weight;
        count += weight;
    }

    /** Adds the value of a one-element tensor through {@link Tensor#item()}. */
    public void add(Tensor value) {
        add(value.item());
    }

    /** The mean so far (NaN before any value). */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The number of values (or total weight) added. */
    public long count() {
        return count;
    }

    /** Forgets all values. */
    public void reset() {
        sum = 0;
        count = 0;
    }
}
