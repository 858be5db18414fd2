package dev.autodiff.nn;

import dev.autodiff.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another, named {@code 0}, {@code 1}, ... as in
 * {@code torch.nn.Sequential}. The first may take several inputs
 * ({@link MultiInputModule}): {@code forward(x, y)} hands it both, and each later module
 * gets the output of the one before. A {@link Linear} followed by a {@link ReLU} runs as one
 * fused op ({@code Functional.linearRelu}), with the same values and gradients.
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /** A chain of the given modules, in order. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module under the next index; returns this. */
    public Sequential add(Module module) {
        layers.add(registerModule(Integer.toString(layers.size()), module));
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    /** The number of modules. */
    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(new Tensor[] {x});
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        if (layers.isEmpty()) { // the identity of one input, as an empty torch.nn.Sequential
            if (inputs.length != 1) {
                throw new IllegalArgumentException("Sequential.forward: an empty Sequential takes 1 input, got "
                        + inputs.length);
            }
            return inputs[0];
        }
        Tensor y = null;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Linear linear && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU
                    && (i > 0 || inputs.length == 1)) {
                y = linear.forwardRelu(i == 0 ? inputs[0] : y);
                i++;
            } else {
                y = i == 0 ? m.forward(inputs) : m.forward(y);
            }
        }
        return y;
    }
}
