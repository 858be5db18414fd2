package dev.autodiff.examples.cli;

/**
 * What one training epoch measured: the mean training loss, the accuracy on the batches
 * as they were trained, the test accuracy after the epoch, and the training speed (the
 * data already in memory).
 */
record EpochStats(int epoch, double loss, double trainAccuracy, double testAccuracy, double samplesPerSecond,
                  double seconds, double learningRate) {

    /** One line for the console. */
    String line(int epochs) {
        int width = Integer.toString(epochs).length();
        return String.format("epoch %" + width + "d/%d  loss %.4f  train %.2f%%  test %.2f%%  %,.0f samples/s  lr %.3g",
                epoch, epochs, loss, 100 * trainAccuracy, 100 * testAccuracy, samplesPerSecond, learningRate);
    }
}
