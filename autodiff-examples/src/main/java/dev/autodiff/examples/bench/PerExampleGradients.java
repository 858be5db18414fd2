package dev.autodiff.examples.bench;

import dev.autodiff.AD;
import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The gradient of a ReLU MLP's cross-entropy loss with respect to every parameter, for
 * each example of a fixed random batch held in memory (what DP-SGD clips, and what
 * influence and per-example gradient norms need), computed two ways from the same loss
 * of one example: {@link AD#vmapMulti} over its gradient, and a Java loop over the
 * examples. The parameters are PyTorch-initialised {@link Linear} weights, detached, as
 * {@code torch.func} users pass them.
 */
public final class PerExampleGradients {
    private final int layers;
    private final Tensor[] params;
    private final Tensor x;
    private final Tensor targets;
    private final Tensor[][] exampleArgs;
    private final AD.GradsFn gradient;
    private final AD.MultiFn perExample;

    /** An MLP with the given layer widths ({@code 784, 256, 10}) and a batch of {@code batch} random samples, seeded. */
    public PerExampleGradients(int[] sizes, int batch, long seed) {
        if (sizes.length < 2 || batch <= 0) {
            throw new IllegalArgumentException("PerExampleGradients: need at least two layer widths and a positive batch, "
                    + "got " + Arrays.toString(sizes) + " and batch " + batch);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        layers = sizes.length - 1;
        params = new Tensor[2 * layers];
        for (int i = 0; i < layers; i++) {
            Linear layer = new Linear(sizes[i], sizes[i + 1], rng);
            params[2 * i] = layer.weight().detach();
            params[2 * i + 1] = layer.bias().detach();
        }
        x = Tensor.randn(rng, batch, sizes[0]);
        int classes = sizes[layers];
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rng.nextInt(classes);
        }
        targets = Tensor.oneHot(labels, classes);
        int[] wrt = new int[params.length];
        Arrays.setAll(wrt, i -> i);
        gradient = AD.grads(this::loss, wrt);
        Integer[] inAxes = new Integer[params.length + 2];
        inAxes[params.length] = 0;
        inAxes[params.length + 1] = 0;
        perExample = AD.vmapMulti(gradient, inAxes);
        exampleArgs = new Tensor[batch][];
        for (int b = 0; b < batch; b++) {
            exampleArgs[b] = args(x.sliceRows(b, b + 1).reshape(-1), targets.sliceRows(b, b + 1).reshape(-1));
        }
    }

    /** The loss of one example: the parameters, then the example's features and one-hot target. */
    private Tensor loss(Tensor... a) {
        Tensor h = a[2 * layers];
        for (int i = 0; i < layers; i++) {
            h = Functional.linear(h, a[2 * i], a[2 * i + 1]);
            if (i + 1 < layers) {
                h = h.relu();
            }
        }
        return h.logSoftmax(-1).mul(a[2 * layers + 1]).sum().neg();
    }

    private Tensor[] args(Tensor features, Tensor target) {
        Tensor[] a = Arrays.copyOf(params, params.length + 2);
        a[params.length] = features;
        a[params.length + 1] = target;
        return a;
    }

    /** The parameters' per-example gradients by vmap: one tensor per parameter, the examples along axis 0. */
    public Tensor[] vmapped() {
        return perExample.apply(args(x, targets));
    }

    /** The parameters' gradients for each example by a loop over the examples: [example][parameter]. */
    public Tensor[][] loop() {
        Tensor[][] grads = new Tensor[exampleArgs.length][];
        for (int b = 0; b < grads.length; b++) {
            grads[b] = gradient.apply(exampleArgs[b]);
        }
        return grads;
    }

    /** {@link #loop()}'s gradients stacked as {@link #vmapped()} returns them: one tensor per parameter. */
    public Tensor[] loopStacked() {
        Tensor[][] grads = loop();
        Tensor[] stacked = new Tensor[params.length];
        Tensor[] column = new Tensor[grads.length];
        for (int p = 0; p < stacked.length; p++) {
            for (int b = 0; b < grads.length; b++) {
                column[b] = grads[b][p];
            }
            stacked[p] = Tensor.stack(0, column);
        }
        return stacked;
    }
}
