package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters that an {@link Optimizer} updates with hyper-parameters of their own, as an
 * entry of {@code torch.optim.Optimizer.param_groups}: a group takes the optimizer's values
 * except those given to it ({@link #with}, or {@link #set} later), which stay its own.
 *
 * <pre>{@code
 * SGD sgd = new SGD(0.1,
 *         ParamGroup.of(backbone.parameters()),
 *         ParamGroup.of(head.parameters()).with("lr", 0.01).with("weight_decay", 0))
 *         .momentum(0.9).weightDecay(1e-4);   // the head keeps lr 0.01 and no decay
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    /** Values given to this group, by name ({@code lr} included), before it joins an optimizer. */
    private final Map<String, Double> given = new LinkedHashMap<>();
    private OptimizerSpec spec;
    /** The learning rate, then the spec's hyper-parameters in its order. */
    private double[] values;
    /** Which of {@link #values} are this group's own rather than the optimizer's. */
    private boolean[] own;

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of these parameters, with the optimizer's values until given its own. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /**
     * Gives this group its own value of a hyper-parameter ({@code lr} for the learning rate),
     * checked against the optimizer's declaration when the group joins it; returns this.
     */
    public ParamGroup with(String name, double value) {
        if (spec != null) {
            throw new IllegalStateException("ParamGroup.with: the group belongs to a " + spec.name() + " already; use set");
        }
        given.put(name, value);
        return this;
    }

    /** The parameters of the group. */
    public List<Tensor> parameters() {
        return params;
    }

    /** The group's value of a hyper-parameter ({@code lr} for the learning rate). */
    public double get(String name) {
        requireAttached("get");
        return values[slot(name)];
    }

    /** Sets the group's own value of a hyper-parameter, checked against its domain; returns this. */
    public ParamGroup set(String name, double value) {
        requireAttached("set");
        int slot = checkedSlot(name, value);
        values[slot] = value;
        own[slot] = true;
        return this;
    }

    /** The group's learning rate. */
    public double learningRate() {
        return get("lr");
    }

    /** Sets the group's learning rate, as a scheduler does; it becomes the group's own. */
    public void setLearningRate(double lr) {
        set("lr", lr);
    }

    /** The learning rate and the hyper-parameters by PyTorch's names, as in a state dict. */
    public Map<String, Double> hyperParameters() {
        requireAttached("hyperParameters");
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("lr", values[0]);
        for (int i = 0; i < spec.hyperParameters().size(); i++) {
            out.put(spec.hyperParameters().get(i).name(), values[i + 1]);
        }
        return out;
    }

    // ---------------------------------------------------------------- for the optimizer

    /** Joins the optimizer of {@code spec} whose values are {@code defaults}; the values given stay the group's own. */
    void attach(OptimizerSpec optimizerSpec, double[] defaults) {
        if (spec != null) {
            throw new IllegalArgumentException(optimizerSpec.name() + ": a parameter group belongs to one optimizer; "
                    + "make a new one with ParamGroup.of");
        }
        spec = optimizerSpec;
        values = defaults.clone();
        own = new boolean[values.length];
        given.forEach(this::set);
    }

    /** Takes the optimizer's new value at {@code slot}, unless the group has its own. */
    void inherit(int slot, double value) {
        if (!own[slot]) {
            values[slot] = value;
        }
    }

    /** Replaces the values with loaded ones, which do not become the group's own. */
    void load(double[] loaded) {
        System.arraycopy(loaded, 0, values, 0, values.length);
    }

    /** The value at {@code slot}: 0 for the learning rate, else 1 + the spec's slot. */
    double value(int slot) {
        return values[slot];
    }

    /** The slot of a name: 0 for {@code lr}, else 1 + the spec's slot. */
    static int slot(OptimizerSpec spec, String name) {
        return name.equals("lr") ? 0 : spec.slot(name) + 1;
    }

    /** Checks {@code value} for {@code name} against the spec and returns its slot. */
    static int checkedSlot(OptimizerSpec spec, String name, double value) {
        if (name.equals("lr")) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException(spec.name() + ": learning rate " + value + " is negative");
            }
            return 0;
        }
        spec.check(name, value);
        return spec.slot(name) + 1;
    }

    private void requireAttached(String what) {
        if (spec == null) {
            throw new IllegalStateException("ParamGroup." + what + ": the group has no optimizer yet, so no values; "
                    + "give it its own with with(name, value)");
        }
    }

    private int slot(String name) {
        return slot(spec, name);
    }

    private int checkedSlot(String name, double value) {
        return checkedSlot(spec, name, value);
    }

    @Override
    public String toString() {
        return "ParamGroup of " + params.size() + " parameters, " + (spec == null ? "own values " + given
                : hyperParameters());
    }
}
