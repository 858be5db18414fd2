package dev.autodiff.examples.cli;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.Sequential;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The shape of a multilayer perceptron: input size, hidden sizes, activation and class
 * count. It builds the {@link Sequential} model and travels in a checkpoint's metadata so
 * that {@code eval} and {@code --resume} rebuild the same model.
 */
record Architecture(int inputs, int[] hidden, Activation activation, int classes) {

    Architecture {
        if (inputs <= 0 || classes < 2) {
            throw new IllegalArgumentException("a model needs at least one input and two classes, got " + inputs
                    + " inputs and " + classes + " classes");
        }
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + Arrays.toString(hidden));
            }
        }
        hidden = hidden.clone();
        int[] sizes = sizes(inputs, hidden, classes);
        for (int l = 0; l + 1 < sizes.length; l++) {
            long weights = (long) sizes[l] * sizes[l + 1];
            if (weights > MAX_TENSOR) {
                throw new IllegalArgumentException(String.format("layer %d (%,d inputs, %,d outputs) would have %,d "
                        + "weights, more than one tensor can hold (%,d)", l + 1, sizes[l], sizes[l + 1], weights, MAX_TENSOR));
            }
        }
    }

    /** The most values a tensor (one Java array) holds. */
    private static final long MAX_TENSOR = Integer.MAX_VALUE - 8;

    private static int[] sizes(int inputs, int[] hidden, int classes) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = classes;
        return sizes;
    }

    /** The number of weights and biases. */
    long parameterCount() {
        int[] sizes = sizes(inputs, hidden, classes);
        long count = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            count += (long) sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return count;
    }

    /** The widths of the layers' outputs, summed: what one example's activations take. */
    long activationWidth() {
        return Arrays.stream(hidden).asLongStream().sum() + classes;
    }

    /** Layer sizes joined by dashes, such as {@code 784-256-10}. */
    String layers() {
        return inputs + "-" + Arrays.stream(hidden).mapToObj(Integer::toString).map(s -> s + "-").collect(Collectors.joining())
                + classes;
    }

    /** A freshly initialized model: Linear layers (PyTorch's default init) with the activation between them. */
    Sequential build(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential model = new Sequential();
        int in = inputs;
        for (int h : hidden) {
            model.add(new Linear(in, h, rng)).add(activation.module());
            in = h;
        }
        return model.add(new Linear(in, classes, rng));
    }

    /** The metadata entries that describe this architecture. */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model.inputs", Integer.toString(inputs));
        m.put("model.hidden", Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        m.put("model.activation", activation.label());
        m.put("model.classes", Integer.toString(classes));
        return m;
    }

    /** The architecture a checkpoint's metadata describes. */
    static Architecture fromMetadata(StoredOptions stored) {
        int inputs = stored.integer("model.inputs", 1);
        int[] hidden = stored.sizes("model.hidden");
        Activation activation = stored.choice(Activation.class, "model.activation");
        int classes = stored.integer("model.classes", 2);
        try {
            return new Architecture(inputs, hidden, activation, classes);
        } catch (IllegalArgumentException e) {
            throw stored.unusable("model", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && a.inputs == inputs && Arrays.equals(a.hidden, hidden)
                && a.activation == activation && a.classes == classes;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(inputs, Arrays.hashCode(hidden), activation, classes);
    }

    @Override
    public String toString() {
        return layers() + " " + activation.label();
    }
}
