package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.List;
import java.util.Map;

/**
 * An optimizer, declared once: its name (PyTorch's class name, also the type a state
 * dict records), a learning rate to start from (what the command-line trainer uses when
 * given none), its hyper-parameters with their PyTorch names and defaults, and how to
 * construct it. Each optimizer class holds its own as {@code SPEC}; an optimizer keeps its
 * hyper-parameters in the slots its spec declares, and state dicts, checkpoints and the
 * trainer's options and help text all read them from there.
 */
public record OptimizerSpec(String name, double defaultLr, Factory factory, List<HyperParameter> hyperParameters) {

    /** Constructs the optimizer for some parameters and a learning rate. */
    @FunctionalInterface
    public interface Factory {
        /** A new optimizer of {@code params} with learning rate {@code lr} and default hyper-parameters. */
        Optimizer create(List<Tensor> params, double lr);
    }

    /** Copies the list; names must be distinct, and {@code lr} is the learning rate's own. */
    public OptimizerSpec {
        hyperParameters = List.copyOf(hyperParameters);
        for (int i = 0; i < hyperParameters.size(); i++) {
            String n = hyperParameters.get(i).name();
            if (n.equals("lr") || indexOf(hyperParameters, n) != i) {
                throw new IllegalArgumentException(name + ": hyper-parameter '" + n + "' is declared twice");
            }
        }
    }

    /** A spec of the given hyper-parameters, in the order state dicts list them. */
    public static OptimizerSpec of(String name, double defaultLr, Factory factory, HyperParameter... hyperParameters) {
        return new OptimizerSpec(name, defaultLr, factory, List.of(hyperParameters));
    }

    /** A new optimizer of {@code params} with learning rate {@code lr}. */
    public Optimizer create(List<Tensor> params, double lr) {
        return factory.create(params, lr);
    }

    /**
     * A new optimizer of {@code params} with learning rate {@code lr} and, of
     * {@code hyperParameters}, the values of those this optimizer declares (each checked as
     * {@link Optimizer#set} checks it); the others are skipped, so that one set of options
     * (say momentum and weight decay) serves whichever optimizer is chosen. The learning
     * rate is {@code lr}, not an entry of the map.
     */
    public Optimizer create(List<Tensor> params, double lr, Map<String, Double> hyperParameters) {
        if (hyperParameters.containsKey("lr")) {
            throw new IllegalArgumentException(name + ": give the learning rate as lr, not in the hyper-parameters "
                    + hyperParameters);
        }
        Optimizer optimizer = create(params, lr);
        for (HyperParameter h : this.hyperParameters) {
            Double value = hyperParameters.get(h.name());
            if (value != null) {
                optimizer.set(h.name(), value);
            }
        }
        return optimizer;
    }

    /** Whether the optimizer has a hyper-parameter of this name. */
    public boolean declares(String hyperParameter) {
        return indexOf(hyperParameter) >= 0;
    }

    /** The hyper-parameter's default; fails if the optimizer has none of that name. */
    public double defaultOf(String hyperParameter) {
        return hyperParameters.get(slot(hyperParameter)).defaultValue();
    }

    /**
     * Checks that {@code value} lies in the domain of the hyper-parameter; the message names
     * the optimizer, the hyper-parameter and the domain.
     */
    public void check(String hyperParameter, double value) {
        HyperParameter.Domain domain = hyperParameters.get(slot(hyperParameter)).domain();
        if (!domain.contains(value)) {
            throw new IllegalArgumentException(name + ": " + hyperParameter + " must be " + domain + ", got " + value);
        }
    }

    /** The position of the hyper-parameter, or -1. */
    int indexOf(String hyperParameter) {
        return indexOf(hyperParameters, hyperParameter);
    }

    /** The position of the hyper-parameter; fails with the known names if there is none. */
    int slot(String hyperParameter) {
        int i = indexOf(hyperParameter);
        if (i < 0) {
            throw new IllegalArgumentException(name + " has no hyper-parameter '" + hyperParameter + "'; it has "
                    + hyperParameters.stream().map(HyperParameter::name).toList());
        }
        return i;
    }

    private static int indexOf(List<HyperParameter> list, String name) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
