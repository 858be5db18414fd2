package dev.autodiff.examples.cli;

import dev.autodiff.nn.Activation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The architecture of a state dict that carries no description of itself, such as one that
 * Python's {@code safetensors.torch.save_file(model.state_dict(), ...)} wrote for a
 * {@code torch.nn.Sequential} of {@code Linear} layers with activations between them: the
 * layers are the entries {@code N.weight} ({@code [out, in]}) and {@code N.bias}
 * ({@code [out]}) in the order of N, and each layer's inputs must be the previous one's
 * outputs. The activation is not in the file and is given by the caller.
 *
 * @param architecture the multilayer perceptron the tensors describe
 * @param names the file's tensor name for each name of the rebuilt model's state dict
 */
record LinearStack(Architecture architecture, Map<String, String> names) {
    private static final Pattern NAME = Pattern.compile("(\\d+)\\.(weight|bias)");

    /** Infers the layers from the names and shapes of {@code file}'s tensors. */
    static LinearStack infer(Map<String, int[]> shapes, Activation activation, Path file) {
        TreeMap<Integer, int[]> weights = new TreeMap<>();
        Map<Integer, int[]> biases = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' is not a layer of a Sequential of "
                        + "Linear layers (names like 0.weight and 0.bias), and the file has no autodiff model metadata");
            }
            int index = Integer.parseInt(m.group(1));
            (m.group(2).equals("weight") ? weights : biases).put(index, shape);
        });
        if (weights.isEmpty()) {
            throw new IllegalArgumentException(file + ": no tensors named N.weight: not a Sequential of Linear layers");
        }
        int[] sizes = new int[weights.size() + 1];
        Map<String, String> names = new LinkedHashMap<>();
        int layer = 0;
        for (Map.Entry<Integer, int[]> e : weights.entrySet()) {
            int index = e.getKey();
            int[] w = e.getValue();
            int[] b = biases.remove(index);
            String where = file + ": layer " + index;
            if (w.length != 2) {
                throw new IllegalArgumentException(where + ": weight of shape " + Arrays.toString(w)
                        + " is not a matrix [out, in]");
            }
            if (b == null || b.length != 1 || b[0] != w[0]) {
                throw new IllegalArgumentException(where + ": " + (b == null ? "has no bias"
                        : "bias of shape " + Arrays.toString(b) + " does not match the weight " + Arrays.toString(w))
                        + "; expected a bias [" + w[0] + "]");
            }
            if (layer > 0 && w[1] != sizes[layer]) {
                throw new IllegalArgumentException(where + ": weight " + Arrays.toString(w) + " takes " + w[1]
                        + " inputs, but the layer before gives " + sizes[layer]);
            }
            sizes[layer] = w[1];
            sizes[layer + 1] = w[0];
            // Our Sequential puts an activation after every Linear layer but the last.
            names.put(2 * layer + ".weight", index + ".weight");
            names.put(2 * layer + ".bias", index + ".bias");
            layer++;
        }
        if (!biases.isEmpty()) {
            int index = biases.keySet().iterator().next();
            throw new IllegalArgumentException(file + ": tensor '" + index + ".bias' has no weight '" + index + ".weight'");
        }
        return new LinearStack(new Architecture(sizes[0], Arrays.copyOfRange(sizes, 1, sizes.length - 1), activation,
                sizes[sizes.length - 1]), names);
    }
}
