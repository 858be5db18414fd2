package dev.autodiff.nn.optim;

import dev.autodiff.nn.Labeled;

import java.util.Locale;

/**
 * The built-in optimizers by name, for a configuration that chooses one (a command-line
 * option, a Spark param): the label is the {@linkplain OptimizerSpec#name() spec's name}
 * in lower case ({@code sgd}, {@code adamw}), and everything else (the default learning
 * rate, the hyper-parameters, how to construct one) is the optimizer's own
 * {@link OptimizerSpec}. Adding an optimizer is its class, holding its {@code SPEC}, and
 * one line here.
 *
 * <pre>{@code
 * OptimizerSpec spec = OptimizerKind.fromLabel("adamw").spec();
 * Optimizer opt = spec.create(model.parameters(), spec.defaultLr(), Map.of("momentum", 0.9, "weight_decay", 1e-4));
 * }</pre>
 */
public enum OptimizerKind implements Labeled {
    /** {@link SGD}. */
    SGD(dev.autodiff.nn.optim.SGD.SPEC),
    /** {@link Adam}. */
    ADAM(Adam.SPEC),
    /** {@link AdamW}. */
    ADAMW(AdamW.SPEC),
    /** {@link RMSprop}. */
    RMSPROP(RMSprop.SPEC),
    /** {@link Adagrad}. */
    ADAGRAD(Adagrad.SPEC);

    private final OptimizerSpec spec;

    OptimizerKind(OptimizerSpec spec) {
        this.spec = spec;
    }

    /** The optimizer's name in lower case: {@code sgd}, {@code adamw}. */
    @Override
    public String label() {
        return spec.name().toLowerCase(Locale.ROOT);
    }

    /** The optimizer's declaration: its name, default learning rate, hyper-parameters and constructor. */
    public OptimizerSpec spec() {
        return spec;
    }

    /** The optimizer spelled {@code label}; an {@link IllegalArgumentException} lists the labels otherwise. */
    public static OptimizerKind fromLabel(String label) {
        return Labeled.parse(OptimizerKind.class, "optimizer", label);
    }
}
