package dev.autodiff.examples;

import dev.autodiff.Tensor;

/** The fraction of rows whose largest score is at the label. */
final class Accuracy {
    private Accuracy() {}

    static double of(Tensor scores, int[] labels) {
        int[] predicted = scores.argmax();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }
}
