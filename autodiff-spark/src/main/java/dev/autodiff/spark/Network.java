package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.Sequential;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shape of a multilayer perceptron: layer sizes (inputs, hidden sizes, outputs) and
 * the activation between layers. It builds the {@link Sequential} of {@link Linear} and
 * activation modules that the CLI trainer builds, so that the state dict carries PyTorch's
 * names ({@code 0.weight}, {@code 0.bias}, {@code 2.weight}, ...), and moves parameters
 * in and out of one flat array, the form in which they travel between driver and executors.
 */
final class Network implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] layers;
    private final Activation activation;

    Network(int[] layers, Activation activation) {
        if (layers.length < 2) {
            throw new IllegalArgumentException("layers needs at least an input and an output size, got "
                    + Arrays.toString(layers));
        }
        for (int size : layers) {
            if (size <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(layers));
            }
        }
        this.layers = layers.clone();
        this.activation = activation;
    }

    int inputs() {
        return layers[0];
    }

    int outputs() {
        return layers[layers.length - 1];
    }

    /** The hidden layer sizes (a copy). */
    int[] hidden() {
        return Arrays.copyOfRange(layers, 1, layers.length - 1);
    }

    /** All layer sizes (a copy). */
    int[] layers() {
        return layers.clone();
    }

    Activation activation() {
        return activation;
    }

    /** A freshly initialized model (PyTorch's default init), seeded as the CLI trainer seeds it. */
    Sequential build(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential model = new Sequential();
        for (int i = 0; i + 1 < layers.length; i++) {
            if (i > 0) {
                model.add(activation.module());
            }
            model.add(new Linear(layers[i], layers[i + 1], rng));
        }
        return model;
    }

    /** The number of trainable values. */
    int parameterCount() {
        long n = 0;
        for (int i = 0; i + 1 < layers.length; i++) {
            n += (long) layers[i] * layers[i + 1] + layers[i + 1];
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("layers " + Arrays.toString(layers) + " have " + n
                    + " parameters; at most " + (Integer.MAX_VALUE - 8) + " fit in one array");
        }
        return (int) n;
    }

    /** The parameters of {@code model}, one after the other in registration order (a copy). */
    static float[] flatten(Module model) {
        List<Tensor> params = model.parameters();
        float[] out = new float[(int) model.parameterCount()];
        int at = 0;
        for (Tensor p : params) {
            p.values().get(0, out, at, p.size());
            at += p.size();
        }
        return out;
    }

    /** Copies {@code flat}, laid out as {@link #flatten}, into the parameters of {@code model}, scaled by {@code factor}. */
    static void load(Module model, float[] flat, float factor) {
        int at = 0;
        for (Tensor p : model.parameters()) {
            int from = at;
            p.writeInPlace(values -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = flat[from + i] * factor;
                }
            });
            at += p.size();
        }
    }

    /** Sets the gradient of each parameter of {@code model} to its part of {@code flat}, scaled by {@code factor}. */
    static void setGradients(Module model, float[] flat, float factor) {
        int at = 0;
        for (Tensor p : model.parameters()) {
            float[] g = new float[p.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = flat[at + i] * factor;
            }
            p.setGrad(Tensor.of(g, p.shape()));
            at += g.length;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && Arrays.equals(n.layers, layers) && n.activation == activation;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(layers) + activation.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int size : layers) {
            sb.append(sb.isEmpty() ? "" : "-").append(size);
        }
        return sb.append(' ').append(activation.label()).toString();
    }
}
