package dev.autodiff.examples;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;

import java.util.SplittableRandom;

/**
 * A two-layer network with L2 regularisation, its gradients by autodiff checked against
 * the ones derived by hand:
 * <pre>
 *   Z1 = X·W1 + b1,  H1 = relu(Z1),  Z2 = H1·W2 + b2,  P = softmax(Z2)
 *   L  = −(1/N) Σ log P[i, y_i] + λ(‖W1‖² + ‖W2‖²)
 *   dZ2 = (P − Y)/N        dW2 = H1ᵀ·dZ2 + 2λ·W2    db2 = Σ_rows dZ2
 *   dH1 = dZ2·W2ᵀ          dZ1 = dH1 ⊙ [Z1 > 0]
 *   dW1 = Xᵀ·dZ1 + 2λ·W1   db1 = Σ_rows dZ1
 * </pre>
 */
public final class TwoLayerNetwork {
    private TwoLayerNetwork() {}

    /** Autodiff and hand-derived gradients of W1, b1, W2, b2, in that order. */
    public record Result(Tensor[] autodiff, Tensor[] byHand, float loss) {
        /** The largest absolute difference over all four gradients. */
        public float maxDifference() {
            float max = 0;
            for (int p = 0; p < autodiff.length; p++) {
                float[] a = autodiff[p].toArray();
                float[] b = byHand[p].toArray();
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
            }
            return max;
        }
    }

    /** Both gradients for a seeded network of sizes {@code d → h → c} on {@code n} random samples. */
    public static Result run(long seed, int n, int d, int h, int c, float lambda) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, d);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(c);
        }
        Tensor w1 = Tensor.randn(rng, d, h).mul(0.5f).requiresGrad();
        Tensor b1 = Tensor.randn(rng, h).mul(0.1f).requiresGrad();
        Tensor w2 = Tensor.randn(rng, h, c).mul(0.5f).requiresGrad();
        Tensor b2 = Tensor.randn(rng, c).mul(0.1f).requiresGrad();

        Tensor z1 = x.matmul(w1).add(b1);
        Tensor h1 = z1.relu();
        Tensor z2 = h1.matmul(w2).add(b2);
        Tensor loss = Functional.crossEntropy(z2, y).add(w1.square().sum().add(w2.square().sum()).mul(lambda));
        loss.backward();

        Tensor dZ2 = z2.detach().softmax(1).sub(Tensor.oneHot(y, c)).div(n);
        Tensor dW2 = h1.detach().transpose().matmul(dZ2).add(w2.detach().mul(2 * lambda));
        Tensor db2 = dZ2.sum(0);
        Tensor dH1 = dZ2.matmul(w2.detach().transpose());
        Tensor dZ1 = dH1.mul(z1.detach().gt(Tensor.scalar(0f)));
        Tensor dW1 = x.transpose().matmul(dZ1).add(w1.detach().mul(2 * lambda));
        Tensor db1 = dZ1.sum(0);

        return new Result(new Tensor[] {w1.grad(), b1.grad(), w2.grad(), b2.grad()},
                new Tensor[] {dW1, db1, dW2, db2}, loss.item());
    }

    /** Prints the loss and the largest difference between the two gradients. */
    public static void main(String[] args) {
        Result r = run(7, 32, 20, 16, 5, 1e-2f);
        System.out.printf("two-layer network 20-16-5, N = 32, lambda = 0.01: loss %.5f%n", r.loss());
        String[] names = {"W1", "b1", "W2", "b2"};
        for (int p = 0; p < names.length; p++) {
            System.out.printf("  d%-2s %-10s norm %.6f (autodiff) %.6f (by hand)%n", names[p],
                    java.util.Arrays.toString(r.autodiff()[p].shape()), norm(r.autodiff()[p]), norm(r.byHand()[p]));
        }
        System.out.printf("largest difference: %.2e%n", r.maxDifference());
    }

    private static double norm(Tensor t) {
        return Math.sqrt(t.square().sum().item());
    }
}
