package dev.autodiff.examples.bench;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.SGD;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One training step of a ReLU MLP on a fixed random batch held in memory: forward,
 * mean cross-entropy, {@code zeroGrad}, backward, and an SGD step with momentum 0.9 —
 * the step PyTorch's {@code torch_compare.py} times.
 */
public final class MlpTrainStep {
    private final Sequential model;
    private final SGD optimizer;
    private final Tensor x;
    private final int[] labels;

    /** An MLP with the given layer widths ({@code 784, 256, 10}), a batch of {@code batch} random samples, seeded. */
    public MlpTrainStep(int[] sizes, int batch, long seed) {
        if (sizes.length < 2 || batch <= 0) {
            throw new IllegalArgumentException("MlpTrainStep: need at least two layer widths and a positive batch, got "
                    + Arrays.toString(sizes) + " and batch " + batch);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        model = new Sequential();
        for (int i = 0; i + 1 < sizes.length; i++) {
            model.add(new Linear(sizes[i], sizes[i + 1], rng));
            if (i + 2 < sizes.length) {
                model.add(new ReLU());
            }
        }
        optimizer = new SGD(model.parameters(), 0.01).momentum(0.9);
        x = Tensor.randn(rng, batch, sizes[0]);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(sizes[sizes.length - 1]);
        }
    }

    /** Parses layer widths written {@code 784-256-10}. */
    public static int[] parseSizes(String architecture) {
        return Arrays.stream(architecture.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    /** The model being trained. */
    public Module model() {
        return model;
    }

    /** Runs one step and returns the loss before the update. */
    public float step() {
        Tensor loss = Losses.crossEntropy(model.forward(x), labels);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
