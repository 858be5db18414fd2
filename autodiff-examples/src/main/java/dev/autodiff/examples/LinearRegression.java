package dev.autodiff.examples;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.TensorDataset;

import java.util.SplittableRandom;

/**
 * Linear regression with the mean squared error: 1,000 seeded samples of
 * {@code y = X·w + b + noise} with {@code w = [2, -3.4]}, {@code b = 4.2} and noise of
 * standard deviation 0.01; minibatch gradient descent recovers w and b.
 */
public final class LinearRegression {
    private LinearRegression() {}

    /** The true parameters. */
    static final float[] TRUE_W = {2f, -3.4f};
    static final float TRUE_B = 4.2f;

    /** The learned weight and bias and the final loss on all samples. */
    public record Result(float[] w, float b, float loss) {}

    /** Trains for {@code epochs} passes in batches of 10 with learning rate 0.03. */
    public static Result run(long seed, int epochs) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1000;
        Tensor x = Tensor.randn(rng, n, 2);
        Tensor y = x.matmul(Tensor.vector(TRUE_W)).add(TRUE_B).add(Tensor.randn(rng, n).mul(0.01f));

        Tensor w = Tensor.randn(rng, 2, 1).mul(0.01f).requiresGrad();
        Tensor b = Tensor.zeros().requiresGrad();
        DataLoader loader = DataLoader.builder(TensorDataset.withTargets(x, y.reshape(n, 1)))
                .batchSize(10).shuffle(seed).build();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader) {
                Functional.mse(batch.x().matmul(w).add(b), batch.y()).backward();
                GradientDescent.step(0.03f, w, b);
            }
        }
        float loss = Functional.mse(x.matmul(w).add(b).reshape(n), y).item();
        return new Result(w.toArray(), b.item(), loss);
    }

    /** Prints the learned parameters next to the true ones. */
    public static void main(String[] args) {
        Result r = run(1, 3);
        System.out.printf("learned w = [%.4f, %.4f], b = %.4f, mse = %.2e%n", r.w()[0], r.w()[1], r.b(), r.loss());
        System.out.printf("true    w = [%.4f, %.4f], b = %.4f%n", TRUE_W[0], TRUE_W[1], TRUE_B);
    }
}
