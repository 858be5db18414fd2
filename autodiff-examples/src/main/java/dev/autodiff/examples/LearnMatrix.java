package dev.autodiff.examples;

import dev.autodiff.Tensor;

/**
 * Gradient descent on a matrix: {@code W = ones(2×3)} learns {@code W·x = y} for
 * {@code x = [-1, 1, 1]}, {@code y = [1, 2]} by {@code W -= 0.1 · ∇‖W·x − y‖²}. The
 * residual shrinks by {@code 1 − 0.2·‖x‖² = 0.4} each step, so the loss after k steps is
 * {@code 0.4^(2k)}.
 */
public final class LearnMatrix {
    private LearnMatrix() {}

    /** The matrix and the loss before the first step and after each step. */
    public record Result(Tensor w, float[] losses) {}

    /** Runs {@code steps} steps of gradient descent with learning rate {@code lr}. */
    public static Result run(int steps, float lr) {
        Tensor w = Tensor.ones(2, 3).requiresGrad();
        Tensor x = Tensor.vector(-1, 1, 1);
        Tensor y = Tensor.vector(1, 2);
        float[] losses = new float[steps + 1];
        for (int step = 0; ; step++) {
            Tensor loss = w.matmul(x).sub(y).square().sum();
            losses[step] = loss.item();
            if (step == steps) {
                break;
            }
            loss.backward();
            GradientDescent.step(lr, w);
        }
        return new Result(w.detach(), losses);
    }

    /** Prints the loss of each step and the learned matrix. */
    public static void main(String[] args) {
        Result r = run(10, 0.1f);
        for (int step = 0; step < r.losses().length; step++) {
            System.out.printf("step %2d  loss %.3e%n", step, r.losses()[step]);
        }
        System.out.println("W =\n" + r.w());
        System.out.println("W·x = " + r.w().matmul(Tensor.vector(-1, 1, 1)) + "  (target [1, 2])");
    }
}
