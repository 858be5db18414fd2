package dev.autodiff.examples;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.examples.data.Digits;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Softmax regression on the digits: one weight matrix {@code W [64, 10]}, scores
 * {@code X·W}, probabilities {@code softmax(X·W)}. Trained twice from the same start:
 * with the squared loss {@code mean ‖softmax(X·W) − onehot(y)‖²} as the classic
 * references do it, and with the cross-entropy, whose gradient {@code (P − Y)/N} does
 * not vanish when a softmax saturates on the wrong class.
 */
public final class SoftmaxRegression {
    private SoftmaxRegression() {}

    /** Test accuracies of the two losses. */
    public record Result(double squaredLossAccuracy, double crossEntropyAccuracy) {}

    /** Trains both models for {@code epochs} epochs of minibatch gradient descent on an 80/20 split. */
    public static Result run(long seed, int epochs) {
        Digits.TrainTest data = Digits.split(seed, 0.2);
        double squared = train(data, seed, epochs, 2f,
                (scores, labels) -> Functional.softmax(scores, 1).sub(Tensor.oneHot(labels, 10)).square()
                        .sum(1).mean());
        double crossEntropy = train(data, seed, epochs, 0.5f, Functional::crossEntropy);
        return new Result(squared, crossEntropy);
    }

    private static double train(Digits.TrainTest data, long seed, int epochs, float lr,
                                BiFunction<Tensor, int[], Tensor> loss) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor w = Tensor.randn(rng, 64, 10).mul(0.01f).requiresGrad();
        Tensor x = data.train().features();
        int[] y = data.train().labels();
        int batch = 32;
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = Batches.permutation(y.length, rng);
            for (int start = 0; start < y.length; start += batch) {
                int[] rows = Batches.slice(order, start, batch);
                int[] labels = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    labels[i] = y[rows[i]];
                }
                loss.apply(x.gather(rows).matmul(w), labels).backward();
                GradientDescent.step(lr, w);
            }
        }
        return Accuracy.of(data.test().features().matmul(w), data.test().labels());
    }

    /** Prints the two test accuracies. */
    public static void main(String[] args) {
        Result r = run(0, 20);
        System.out.printf("softmax regression on digits, 20 epochs, test split of 359%n");
        System.out.printf("  squared loss   test accuracy %.1f%%%n", 100 * r.squaredLossAccuracy());
        System.out.printf("  cross-entropy  test accuracy %.1f%%%n", 100 * r.crossEntropyAccuracy());
    }
}
