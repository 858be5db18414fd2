package dev.autodiff.examples;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.examples.data.Digits;
import dev.autodiff.nn.Metrics;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.DatasetSplit;

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
        DatasetSplit data = Digits.split(seed);
        double squared = train(data, seed, epochs, 2f,
                (scores, labels) -> Functional.softmax(scores, 1).sub(Tensor.oneHot(labels, 10)).square()
                        .sum(1).mean());
        double crossEntropy = train(data, seed, epochs, 0.5f, Functional::crossEntropy);
        return new Result(squared, crossEntropy);
    }

    private static double train(DatasetSplit data, long seed, int epochs, float lr,
                                BiFunction<Tensor, int[], Tensor> loss) {
        Tensor w = Tensor.randn(new SplittableRandom(seed), 64, 10).mul(0.01f).requiresGrad();
        DataLoader loader = DataLoader.builder(data.train()).batchSize(32).shuffle(seed).build();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader) {
                loss.apply(batch.x().matmul(w), batch.labels()).backward();
                GradientDescent.step(lr, w);
            }
        }
        return Metrics.accuracy(data.validation().features().matmul(w), data.validation().labels());
    }

    /** Prints the two test accuracies. */
    public static void main(String[] args) {
        Result r = run(0, 20);
        System.out.printf("softmax regression on digits, 20 epochs, test split of 359%n");
        System.out.printf("  squared loss   test accuracy %.1f%%%n", 100 * r.squaredLossAccuracy());
        System.out.printf("  cross-entropy  test accuracy %.1f%%%n", 100 * r.crossEntropyAccuracy());
    }
}
