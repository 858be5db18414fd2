package dev.autodiff.examples;

import dev.autodiff.CustomOp;
import dev.autodiff.Functional;
import dev.autodiff.GradCheck;
import dev.autodiff.Tensor;
import dev.autodiff.examples.data.Digits;
import dev.autodiff.nn.Metrics;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.DatasetSplit;

import java.util.SplittableRandom;

/**
 * An op written by a user: Swish, {@code swish(x) = x·σ(x)}, with its own VJP and JVP
 * from {@code swish'(x) = σ(x) + swish(x)·(1 − σ(x))}. {@link GradCheck} verifies both
 * rules against finite differences, then the op serves as the activation of a
 * 64-32-10 network that trains on the digits.
 */
public final class CustomSwish {
    private CustomSwish() {}

    /** The op. */
    public static final CustomOp SWISH = CustomOp.of("swish", 1,
            in -> in[0].mul(in[0].sigmoid()),
            (in, out, g) -> new Tensor[] {g.mul(derivative(in[0], out))},
            (in, out, t) -> t[0].mul(derivative(in[0], out)));

    private static Tensor derivative(Tensor x, Tensor y) {
        Tensor s = x.sigmoid();
        return s.add(y.mul(s.neg().add(1f)));
    }

    /** The gradient checks and the trained network's test accuracy. */
    public record Result(GradCheck.Result vjpCheck, GradCheck.Result jvpCheck, double testAccuracy) {}

    /** Checks the rules at seeded points, then trains the network for {@code epochs} epochs. */
    public static Result run(long seed, int epochs) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor probe = Tensor.randn(rng, 3, 4).mul(3f);
        GradCheck.Result vjp = GradCheck.check(in -> SWISH.apply(in[0]), probe);
        GradCheck.Result jvp = GradCheck.checkJvpVjp(in -> SWISH.apply(in[0]), probe);

        DatasetSplit data = Digits.split(seed);
        Tensor w1 = Tensor.randn(rng, 64, 32).mul((float) Math.sqrt(2.0 / 64)).requiresGrad();
        Tensor b1 = Tensor.zeros(32).requiresGrad();
        Tensor w2 = Tensor.randn(rng, 32, 10).mul((float) Math.sqrt(1.0 / 32)).requiresGrad();
        Tensor b2 = Tensor.zeros(10).requiresGrad();
        DataLoader loader = DataLoader.builder(data.train()).batchSize(32).shuffle(seed).build();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader) {
                Tensor hidden = SWISH.apply(batch.x().matmul(w1).add(b1));
                Functional.crossEntropy(hidden.matmul(w2).add(b2), batch.labels()).backward();
                GradientDescent.step(0.2f, w1, b1, w2, b2);
            }
        }
        Tensor scores = SWISH.apply(data.validation().features().matmul(w1).add(b1)).matmul(w2).add(b2);
        return new Result(vjp, jvp, Metrics.accuracy(scores, data.validation().labels()));
    }

    /** Prints the checks and the accuracy. */
    public static void main(String[] args) {
        Result r = run(0, 15);
        System.out.printf("swish VJP vs finite differences: %s (max error %.1e)%n",
                r.vjpCheck().passed() ? "passed" : "FAILED", r.vjpCheck().maxAbsoluteError());
        System.out.printf("swish JVP vs VJP and finite differences: %s (max error %.1e)%n",
                r.jvpCheck().passed() ? "passed" : "FAILED", r.jvpCheck().maxAbsoluteError());
        System.out.printf("64-32-10 network with swish, 15 epochs on digits: test accuracy %.1f%%%n",
                100 * r.testAccuracy());
    }
}
