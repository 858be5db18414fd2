package dev.autodiff.spark;

import java.io.Serializable;
import java.util.Locale;

/**
 * What one epoch of training did, as measured on the batches while they were trained.
 *
 * @param epoch the epoch, counted from 1
 * @param epochs the number of epochs of the run
 * @param loss the mean cross-entropy of the epoch's batches
 * @param accuracy the fraction of the epoch's rows predicted correctly while training on them
 * @param seconds the epoch's wall-clock time on the driver
 * @param rounds the rounds of communication (Spark jobs) the epoch took
 * @param learningRate the learning rate during the epoch
 */
public record EpochReport(int epoch, int epochs, double loss, double accuracy, double seconds, int rounds,
                          double learningRate) implements Serializable {

    /** One line for a log, such as {@code epoch 3/10  loss 0.4123  train 85.20%  1.93 s  117 rounds  lr 0.0500}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  train %.2f%%  %.2f s  %d rounds  lr %.4g", epoch,
                epochs, loss, 100 * accuracy, seconds, rounds, learningRate);
    }
}
