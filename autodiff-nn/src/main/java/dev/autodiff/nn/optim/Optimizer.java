package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients, as {@code torch.optim.Optimizer}
 * with one parameter group. Updates are the in-place tensor operations
 * ({@link Tensor#mulAddInPlace} and its relatives); state tensors (moments, momentum)
 * are allocated once, on a parameter's first step, and updated in place afterwards, so a
 * step allocates nothing. A parameter whose gradient is null is skipped and its step
 * count does not advance, as in PyTorch.
 *
 * <p>An optimizer's hyper-parameters are those its {@link OptimizerSpec} declares; they are
 * read and written by name ({@link #get}, {@link #set}), as in a state dict, and through
 * each optimizer's typed setters.
 */
public abstract class Optimizer {
    private final OptimizerSpec spec;
    /** The values of the spec's hyper-parameters, in its order. */
    private final double[] hyper;
    private final List<Tensor> params;
    private final long[] steps;
    /** State tensors by name, then by parameter index; an entry is null until that parameter's first step. */
    private final Map<String, Tensor[]> state = new LinkedHashMap<>();
    /** Work tensors by name, then by parameter index, for updates that need temporaries; not saved. */
    private final Map<String, Tensor[]> scratch = new LinkedHashMap<>();
    private double lr;

    /** An optimizer of the given parameters with learning rate {@code lr} and the spec's default hyper-parameters. */
    protected Optimizer(OptimizerSpec spec, List<Tensor> params, double lr) {
        this.spec = spec;
        if (params.isEmpty()) {
            throw new IllegalArgumentException(spec.name() + ": no parameters to optimize");
        }
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isLeaf()) {
                throw new IllegalArgumentException(spec.name() + ": parameter " + i
                        + " is not a leaf tensor (it was computed by " + params.get(i).op() + ")");
            }
        }
        this.hyper = spec.hyperParameters().stream().mapToDouble(HyperParameter::defaultValue).toArray();
        this.params = List.copyOf(params);
        this.steps = new long[params.size()];
        setLearningRate(lr);
    }

    /** The declaration of this optimizer. */
    public final OptimizerSpec spec() {
        return spec;
    }

    /** The parameters, in the order their state is indexed. */
    public final List<Tensor> parameters() {
        return params;
    }

    /** The current learning rate. */
    public final double learningRate() {
        return lr;
    }

    /** Sets the learning rate (schedulers call this). */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException(spec.name() + ": learning rate " + lr + " is negative");
        }
        this.lr = lr;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Updates every parameter that has a gradient by one step. */
    public final void step() {
        validate();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g != null) {
                update(i, p, g, ++steps[i]);
            }
        }
    }

    /** The value of the hyper-parameter {@code name} ({@code lr} for the learning rate). */
    public final double get(String name) {
        return name.equals("lr") ? lr : hyper[spec.slot(name)];
    }

    /**
     * Sets the hyper-parameter {@code name} ({@code lr} for the learning rate), which must
     * lie in its domain; returns this.
     */
    public final Optimizer set(String name, double value) {
        if (name.equals("lr")) {
            setLearningRate(value);
        } else {
            hyper[checkedSlot(name, value)] = value;
        }
        return this;
    }

    private int checkedSlot(String name, double value) {
        spec.check(name, value);
        return spec.slot(name);
    }

    /** The value of one of the spec's hyper-parameters, for updates. */
    protected final double value(HyperParameter h) {
        return hyper[spec.slot(h.name())];
    }

    /** Whether a flag hyper-parameter is on. */
    protected final boolean isOn(HyperParameter flag) {
        return value(flag) != 0;
    }

    /** Checks that the hyper-parameters fit together; called before each step. */
    protected void validate() {
    }

    /**
     * Updates parameter {@code index} in place given its gradient (of the parameter's
     * shape; it must not be written); {@code step} counts from 1.
     */
    protected abstract void update(int index, Tensor param, Tensor grad, long step);

    /** Whether state tensor {@code name} of parameter {@code index} exists yet. */
    protected final boolean hasState(String name, int index) {
        Tensor[] tensors = state.get(name);
        return tensors != null && tensors[index] != null;
    }

    /** State tensor {@code name} of parameter {@code index}, of its shape, filled with {@code initial} on first use. */
    protected final Tensor state(String name, int index, float initial) {
        return tensor(state, name, index, initial);
    }

    private Tensor tensor(Map<String, Tensor[]> tensors, String name, int index, float initial) {
        Tensor[] byParameter = tensors.computeIfAbsent(name, n -> new Tensor[params.size()]);
        if (byParameter[index] == null) {
            byParameter[index] = Tensor.full(initial, params.get(index).shape());
        }
        return byParameter[index];
    }

    /** Work tensor {@code name} of parameter {@code index}, made on first use and reused; its values are not kept. */
    protected final Tensor scratch(String name, int index) {
        return tensor(scratch, name, index, 0f);
    }

    /** {@code grad + weightDecay·param}, in the scratch tensor {@code gradient}, or {@code grad} itself when the decay is 0. */
    protected final Tensor withWeightDecay(int index, Tensor param, Tensor grad, double weightDecay) {
        if (weightDecay == 0) {
            return grad;
        }
        return scratch("gradient", index).copyFrom(grad).addInPlace(param, (float) weightDecay);
    }

    // ---------------------------------------------------------------- state dict

    /** The hyper-parameters by PyTorch's names, the learning rate ({@code lr}) first, flags as 0 or 1. */
    public final Map<String, Double> hyperParameters() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("lr", lr);
        for (int i = 0; i < hyper.length; i++) {
            out.put(spec.hyperParameters().get(i).name(), hyper[i]);
        }
        return out;
    }

    /** The step counts, state buffers (copies, keyed {@code index.name}) and hyper-parameters, for a checkpoint. */
    public final OptimizerState stateDict() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor[]> e : state.entrySet()) {
                Tensor t = e.getValue()[i];
                if (t != null) {
                    buffers.put(i + "." + e.getKey(), Tensor.of(t.data(), t.shape()));
                }
            }
        }
        return new OptimizerState(spec.name(), hyperParameters(), steps.clone(), buffers);
    }

    /**
     * Restores a {@link #stateDict()}: hyper-parameters, step counts and buffers (copied).
     * The optimizer type, the number of parameters and every buffer's size must match.
     */
    public final void loadStateDict(OptimizerState saved) {
        String type = spec.name();
        if (!saved.optimizer().equals(type)) {
            throw new IllegalArgumentException(type + ".loadStateDict: the state is of a " + saved.optimizer());
        }
        if (saved.steps().length != params.size()) {
            throw new IllegalArgumentException(type + ".loadStateDict: the state has " + saved.steps().length
                    + " parameters, the optimizer " + params.size());
        }
        Map<String, Tensor[]> loaded = new LinkedHashMap<>();
        saved.buffers().forEach((key, value) -> {
            int dot = key.indexOf('.');
            int index = dot > 0 ? parseIndex(key.substring(0, dot)) : -1;
            if (index < 0 || index >= params.size() || value.size() != params.get(index).size()) {
                throw new IllegalArgumentException(type + ".loadStateDict: buffer '" + key + "' of shape "
                        + Arrays.toString(value.shape()) + " fits no parameter");
            }
            loaded.computeIfAbsent(key.substring(dot + 1), n -> new Tensor[params.size()])[index] =
                    Tensor.of(value.data(), params.get(index).shape());
        });
        double[] values = hyper.clone();
        saved.hyperParameters().forEach((name, value) -> {
            if (!name.equals("lr")) {
                if (!spec.declares(name)) {
                    throw new IllegalArgumentException(type + ".loadStateDict: unknown hyper-parameter '" + name + "'");
                }
                values[checkedSlot(name, value)] = value;
            }
        });
        Double savedLr = saved.hyperParameters().get("lr");
        if (savedLr != null) {
            setLearningRate(savedLr);
        }
        System.arraycopy(values, 0, hyper, 0, hyper.length);
        state.clear();
        state.putAll(loaded);
        System.arraycopy(saved.steps(), 0, steps, 0, steps.length);
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
