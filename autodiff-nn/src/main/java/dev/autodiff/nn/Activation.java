package dev.autodiff.nn;

import java.util.function.Supplier;

/**
 * The elementwise activations by name, as a network's configuration chooses one (the
 * activation between the hidden layers of a multilayer perceptron): the label is
 * PyTorch's functional name ({@code torch.nn.functional.leaky_relu}), and {@link #module()}
 * makes the module with PyTorch's defaults.
 *
 * <pre>{@code
 * Activation a = Activation.fromLabel("gelu");
 * Sequential mlp = new Sequential(new Linear(4, 8, rng), a.module(), new Linear(8, 2, rng));
 * }</pre>
 */
public enum Activation implements Labeled {
    /** {@link ReLU}, {@code relu}. */
    RELU("relu", ReLU::new),
    /** {@link Tanh}, {@code tanh}. */
    TANH("tanh", Tanh::new),
    /** {@link Sigmoid}, {@code sigmoid}. */
    SIGMOID("sigmoid", Sigmoid::new),
    /** {@link GELU}, exact ({@code approximate='none'}), {@code gelu}. */
    GELU("gelu", dev.autodiff.nn.GELU::new),
    /** {@link SiLU}, {@code silu}. */
    SILU("silu", SiLU::new),
    /** {@link LeakyReLU} with PyTorch's negative slope 0.01, {@code leaky_relu}. */
    LEAKY_RELU("leaky_relu", LeakyReLU::new);

    private final String label;
    private final Supplier<Module> module;

    Activation(String label, Supplier<Module> module) {
        this.label = label;
        this.module = module;
    }

    /** PyTorch's functional name: {@code relu}, {@code leaky_relu}. */
    @Override
    public String label() {
        return label;
    }

    /** A new module computing this activation (it has no parameters). */
    public Module module() {
        return module.get();
    }

    /** The activation spelled {@code label}; an {@link IllegalArgumentException} lists the labels otherwise. */
    public static Activation fromLabel(String label) {
        return Labeled.parse(Activation.class, "activation", label);
    }
}
