package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates parameters in place from their gradients, as {@code torch.optim.Optimizer}.
 * Updates are the in-place tensor operations ({@link Tensor#mulAddInPlace} and its
 * relatives); state tensors (moments, momentum) are allocated once, on a parameter's first
 * step, and updated in place afterwards, so a step allocates nothing. A parameter whose
 * gradient is null is skipped and its step count does not advance, as in PyTorch.
 *
 * <p>An optimizer's hyper-parameters are those its {@link OptimizerSpec} declares; they are
 * read and written by name ({@link #get}, {@link #set}), as in a state dict, and through
 * each optimizer's typed setters. Parameters come in {@linkplain ParamGroup groups}, one
 * unless given several: a group keeps the values given to it and takes the optimizer's for
 * the rest, so that {@code set} and the typed setters change every group that has no value
 * of its own.
 */
public abstract class Optimizer {
    private final OptimizerSpec spec;
    /** What a group takes where it has no value of its own: the learning rate, then the spec's hyper-parameters in order. */
    private final double[] defaults;
    private final List<ParamGroup> groups;
    /** Every parameter, group after group; state is indexed by position here. */
    private final List<Tensor> params;
    private final long[] steps;
    /** State tensors by name, then by parameter index; an entry is null until that parameter's first step. */
    private final Map<String, Tensor[]> state = new LinkedHashMap<>();
    /** Work tensors by name, then by parameter index, for updates that need temporaries; not saved. */
    private final Map<String, Tensor[]> scratch = new LinkedHashMap<>();
    /** The group whose parameters {@link #step()} is updating, whose values {@link #value} and {@link #lr} read. */
    private ParamGroup current;

    /** An optimizer of the given parameters, one group, with learning rate {@code lr} and the spec's default hyper-parameters. */
    protected Optimizer(OptimizerSpec spec, List<Tensor> params, double lr) {
        this(spec, lr, checkedNonEmpty(spec, params));
    }

    /**
     * An optimizer of the given groups with learning rate {@code lr} and the spec's default
     * hyper-parameters, for every group that has no value of its own.
     */
    protected Optimizer(OptimizerSpec spec, double lr, ParamGroup... groups) {
        this.spec = spec;
        if (groups.length == 0) {
            throw new IllegalArgumentException(spec.name() + ": no parameters to optimize");
        }
        this.defaults = new double[spec.hyperParameters().size() + 1];
        this.defaults[0] = lr;
        ParamGroup.checkedSlot(spec, "lr", lr);
        for (int i = 0; i < spec.hyperParameters().size(); i++) {
            defaults[i + 1] = spec.hyperParameters().get(i).defaultValue();
        }
        List<Tensor> all = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup group : groups) {
            for (Tensor p : group.parameters()) {
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException(spec.name() + ": parameter " + all.size()
                            + " is not a leaf tensor (it was computed by " + p.op() + ")");
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(spec.name() + ": parameter " + all.size()
                            + " appears twice (in one group, or in two); give each parameter once");
                }
                all.add(p);
            }
            group.attach(spec, defaults);
        }
        this.groups = List.of(groups);
        this.params = List.copyOf(all);
        this.steps = new long[params.size()];
    }

    private static ParamGroup checkedNonEmpty(OptimizerSpec spec, List<Tensor> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(spec.name() + ": no parameters to optimize");
        }
        return ParamGroup.of(params);
    }

    /** The declaration of this optimizer. */
    public final OptimizerSpec spec() {
        return spec;
    }

    /** The parameters, group after group, in the order their state is indexed. */
    public final List<Tensor> parameters() {
        return params;
    }

    /** The parameter groups, in order. */
    public final List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The learning rate of the first group (every parameter's, with one group). */
    public final double learningRate() {
        return groups.getFirst().learningRate();
    }

    /**
     * Sets the learning rate of every group that has none of its own (see {@link #set}); a
     * scheduler gives every group a rate of its own, which it keeps setting.
     */
    public final void setLearningRate(double lr) {
        set("lr", lr);
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Updates every parameter that has a gradient by one step. */
    public final void step() {
        int index = 0;
        try {
            // by index: an iterator is an object per loop where the JIT does not inline it away
            for (int gi = 0; gi < groups.size(); gi++) {
                ParamGroup group = groups.get(gi);
                current = group;
                validate();
                List<Tensor> parameters = group.parameters();
                for (int pi = 0; pi < parameters.size(); pi++) {
                    Tensor p = parameters.get(pi);
                    Tensor g = p.grad();
                    if (g != null) {
                        update(index, p, g, ++steps[index]);
                    }
                    index++;
                }
            }
        } finally {
            current = null;
        }
    }

    /** The value of the hyper-parameter {@code name} ({@code lr} for the learning rate) of the first group (every parameter's, with one group). */
    public final double get(String name) {
        return groups.getFirst().get(name);
    }

    /**
     * Sets the hyper-parameter {@code name} ({@code lr} for the learning rate), which must
     * lie in its domain, for the optimizer and every group that has no value of its own;
     * returns this.
     */
    public final Optimizer set(String name, double value) {
        int slot = ParamGroup.checkedSlot(spec, name, value);
        defaults[slot] = value;
        for (ParamGroup group : groups) {
            group.inherit(slot, value);
        }
        return this;
    }

    /** The value of one of the spec's hyper-parameters for the group being updated, for updates and checks. */
    protected final double value(HyperParameter h) {
        return group().value(spec.slot(h.name()) + 1);
    }

    /** The learning rate of the group being updated. */
    protected final double lr() {
        return group().value(0);
    }

    private ParamGroup group() {
        if (current == null) {
            throw new IllegalStateException(spec.name() + ": hyper-parameters of a group are read during step() only");
        }
        return current;
    }

    /** Whether a flag hyper-parameter is on. */
    protected final boolean isOn(HyperParameter flag) {
        return value(flag) != 0;
    }

    /** Checks that the hyper-parameters of the group being updated fit together; called before each step of each group. */
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
        Tensor[] byParameter = tensors.get(name);
        if (byParameter == null) { // not computeIfAbsent: its lambda would capture this, an object per call
            byParameter = new Tensor[params.size()];
            tensors.put(name, byParameter);
        }
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

    /** The first group's values (every parameter's, with one group) by PyTorch's names, {@code lr} first, flags as 0 or 1. */
    public final Map<String, Double> hyperParameters() {
        return groups.getFirst().hyperParameters();
    }

    /** The step counts, state buffers (copies, keyed {@code index.name}) and each group's hyper-parameters, for a checkpoint. */
    public final OptimizerState stateDict() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, Tensor[]> e : state.entrySet()) {
                Tensor t = e.getValue()[i];
                if (t != null) {
                    buffers.put(i + "." + e.getKey(), Tensor.zeros(t.shape()).copyFrom(t));
                }
            }
        }
        List<OptimizerState.Group> saved = new ArrayList<>();
        for (ParamGroup group : groups) {
            saved.add(new OptimizerState.Group(group.hyperParameters(), group.parameters().size()));
        }
        return new OptimizerState(spec.name(), saved, steps.clone(), buffers);
    }

    /**
     * Restores a {@link #stateDict()}: each group's hyper-parameters, the step counts and the
     * buffers (copied). The optimizer type, the groups' sizes and every buffer's size must
     * match. The values a group without values of its own takes become the first group's.
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
        List<Integer> savedSizes = saved.groups().stream().map(OptimizerState.Group::size).toList();
        List<Integer> sizes = groups.stream().map(g -> g.parameters().size()).toList();
        if (!savedSizes.equals(sizes)) {
            throw new IllegalArgumentException(type + ".loadStateDict: the state has parameter groups of " + savedSizes
                    + " parameters, the optimizer " + sizes);
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
                    Tensor.zeros(params.get(index).shape()).copyFrom(value.reshape(params.get(index).shape()));
        });
        List<double[]> values = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            double[] v = new double[defaults.length];
            for (int slot = 0; slot < v.length; slot++) {
                v[slot] = groups.get(g).value(slot);
            }
            saved.groups().get(g).hyperParameters().forEach((name, value) -> {
                if (!name.equals("lr") && !spec.declares(name)) {
                    throw new IllegalArgumentException(type + ".loadStateDict: unknown hyper-parameter '" + name + "'");
                }
                v[ParamGroup.checkedSlot(spec, name, value)] = value;
            });
            values.add(v);
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).load(values.get(g));
        }
        System.arraycopy(values.getFirst(), 0, defaults, 0, defaults.length);
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
