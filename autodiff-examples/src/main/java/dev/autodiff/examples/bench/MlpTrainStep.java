package dev.autodiff.examples.bench;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.Adagrad;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.RMSprop;
import dev.autodiff.nn.optim.SGD;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One training step of a ReLU MLP on a fixed random batch held in memory: forward,
 * mean cross-entropy, {@code zeroGrad}, backward, and an SGD step with momentum 0.9 (or an
 * Adam step) — the step PyTorch's {@code torch_compare.py} times.
 */
public final class MlpTrainStep {
    /** The suffix of an optimizer's name that adds weight decay. */
    private static final String DECAYED = "-decay";

    private final Sequential model;
    private final Optimizer optimizer;
    private final Tensor x;
    private final int[] labels;

    /**
     * An MLP with the given layer widths ({@code 784, 256, 10}), a batch of {@code batch} random
     * samples, seeded, trained by SGD with learning rate 0.01 and momentum 0.9.
     */
    public MlpTrainStep(int[] sizes, int batch, long seed) {
        this(sizes, batch, seed, "sgd");
    }

    /**
     * The same with the optimizer {@code optimizer} names: {@code sgd}, {@code sgd-nesterov}, {@code adam} or
     * {@code rmsprop} (learning rate 1e-3), or {@code adagrad} (1e-2), with PyTorch's defaults
     * otherwise; {@code -decay} after the name adds an L2 weight decay of 5e-4 ({@code sgd-decay}).
     */
    public MlpTrainStep(int[] sizes, int batch, long seed, String optimizer) {
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
        this.optimizer = optimizer(optimizer, model.parameters());
        x = Tensor.randn(rng, batch, sizes[0]);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(sizes[sizes.length - 1]);
        }
    }

    private static Optimizer optimizer(String name, List<Tensor> parameters) {
        boolean decayed = name.endsWith(DECAYED);
        double weightDecay = decayed ? 5e-4 : 0;
        return switch (decayed ? name.substring(0, name.length() - DECAYED.length()) : name) {
            case "sgd" -> new SGD(parameters, 0.01).momentum(0.9).weightDecay(weightDecay);
            case "sgd-nesterov" -> new SGD(parameters, 0.01).momentum(0.9).nesterov(true).weightDecay(weightDecay);
            case "adam" -> new Adam(parameters, 1e-3).weightDecay(weightDecay);
            case "rmsprop" -> new RMSprop(parameters, 1e-3).weightDecay(weightDecay);
            case "adagrad" -> new Adagrad(parameters, 1e-2).weightDecay(weightDecay);
            default -> throw new IllegalArgumentException("MlpTrainStep: unknown optimizer " + name
                    + " (sgd, sgd-nesterov, adam, rmsprop or adagrad, each with -decay after it for weight decay 5e-4)");
        };
    }

    /** Parses layer widths written {@code 784-256-10}. */
    public static int[] parseSizes(String architecture) {
        return Arrays.stream(architecture.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    /** The model being trained. */
    public Module model() {
        return model;
    }

    /** The optimizer that updates it. */
    public Optimizer optimizer() {
        return optimizer;
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
