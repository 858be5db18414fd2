package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Kernels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters in place from their gradients, as {@code torch.optim.Optimizer}
 * with one parameter group. Updates run through the active {@link Kernels}; state
 * buffers (moments, momentum) are allocated once, on a parameter's first step, and
 * updated in place afterwards. A parameter whose gradient is null is skipped and its
 * step count does not advance, as in PyTorch.
 */
public abstract class Optimizer {
    /** The kernels every update runs through. */
    protected final Kernels kernels = KernelRegistry.active();
    private final List<Tensor> params;
    private final long[] steps;
    /** State buffers by name, then by parameter index; an entry is null until that parameter's first step. */
    private final Map<String, float[][]> state = new LinkedHashMap<>();
    /** Work arrays by name, then by parameter index, for updates that need temporaries; not saved. */
    private final Map<String, float[][]> scratch = new LinkedHashMap<>();
    private double lr;

    /** An optimizer of the given parameters with learning rate {@code lr}. */
    protected Optimizer(List<Tensor> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        for (int i = 0; i < params.size(); i++) {
            if (!params.get(i).isLeaf()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + i
                        + " is not a leaf tensor (it was computed by " + params.get(i).op() + ")");
            }
        }
        this.params = List.copyOf(params);
        this.steps = new long[params.size()];
        setLearningRate(lr);
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
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + lr + " is negative");
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
                update(i, p.data(), g.data(), ++steps[i]);
            }
        }
    }

    /** Checks that the hyper-parameters fit together; called before each step. */
    protected void validate() {
    }

    /** Updates parameter {@code index} in place given its gradient; {@code step} counts from 1. */
    protected abstract void update(int index, float[] param, float[] grad, long step);

    /** Whether state buffer {@code name} of parameter {@code index} exists yet. */
    protected final boolean hasState(String name, int index) {
        float[][] buffers = state.get(name);
        return buffers != null && buffers[index] != null;
    }

    /** State buffer {@code name} of parameter {@code index}, allocated filled with {@code initial} on first use. */
    protected final float[] state(String name, int index, float initial) {
        return buffer(state, name, index, initial);
    }

    private float[] buffer(Map<String, float[][]> arrays, String name, int index, float initial) {
        float[][] buffers = arrays.computeIfAbsent(name, n -> new float[params.size()][]);
        if (buffers[index] == null) {
            buffers[index] = new float[params.get(index).size()];
            if (initial != 0) {
                Arrays.fill(buffers[index], initial);
            }
        }
        return buffers[index];
    }

    /** Work array {@code name} of parameter {@code index}, allocated on first use and reused; its contents are not kept. */
    protected final float[] scratch(String name, int index) {
        return buffer(scratch, name, index, 0f);
    }

    /** {@code grad + weightDecay·param}, in the scratch array {@code gradient}, or {@code grad} itself when the decay is 0. */
    protected final float[] withWeightDecay(int index, float[] param, float[] grad, double weightDecay) {
        if (weightDecay == 0) {
            return grad;
        }
        float[] d = scratch("gradient", index);
        System.arraycopy(grad, 0, d, 0, d.length);
        kernels.axpby((float) weightDecay, param, 1f, d, d.length);
        return d;
    }

    // ---------------------------------------------------------------- state dict

    /** The hyper-parameters by PyTorch's names, the learning rate ({@code lr}) first. */
    public final Map<String, Double> hyperParameters() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("lr", lr);
        putHyperParameters(out);
        return out;
    }

    /** Adds the optimizer's own hyper-parameters (booleans as 0 or 1) to {@code out}. */
    protected abstract void putHyperParameters(Map<String, Double> out);

    /** Sets one of the optimizer's own hyper-parameters from a state dict; false if the name is unknown. */
    protected abstract boolean setHyperParameter(String name, double value);

    /** The step counts, state buffers (copies, keyed {@code index.name}) and hyper-parameters, for a checkpoint. */
    public final OptimizerState stateDict() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (Map.Entry<String, float[][]> e : state.entrySet()) {
                float[] b = e.getValue()[i];
                if (b != null) {
                    buffers.put(i + "." + e.getKey(), Tensor.of(b, params.get(i).shape()));
                }
            }
        }
        return new OptimizerState(getClass().getSimpleName(), hyperParameters(), steps.clone(), buffers);
    }

    /**
     * Restores a {@link #stateDict()}: hyper-parameters, step counts and buffers (copied).
     * The optimizer type, the number of parameters and every buffer's size must match.
     */
    public final void loadStateDict(OptimizerState saved) {
        String type = getClass().getSimpleName();
        if (!saved.optimizer().equals(type)) {
            throw new IllegalArgumentException(type + ".loadStateDict: the state is of a " + saved.optimizer());
        }
        if (saved.steps().length != params.size()) {
            throw new IllegalArgumentException(type + ".loadStateDict: the state has " + saved.steps().length
                    + " parameters, the optimizer " + params.size());
        }
        Map<String, float[][]> loaded = new LinkedHashMap<>();
        saved.buffers().forEach((key, value) -> {
            int dot = key.indexOf('.');
            int index = dot > 0 ? parseIndex(key.substring(0, dot)) : -1;
            if (index < 0 || index >= params.size() || value.size() != params.get(index).size()) {
                throw new IllegalArgumentException(type + ".loadStateDict: buffer '" + key + "' of shape "
                        + Arrays.toString(value.shape()) + " fits no parameter");
            }
            loaded.computeIfAbsent(key.substring(dot + 1), n -> new float[params.size()][])[index] = value.toArray();
        });
        saved.hyperParameters().forEach((name, value) -> {
            if (!name.equals("lr") && !setHyperParameter(name, value)) {
                throw new IllegalArgumentException(type + ".loadStateDict: unknown hyper-parameter '" + name + "'");
            }
        });
        Double savedLr = saved.hyperParameters().get("lr");
        if (savedLr != null) {
            setLearningRate(savedLr);
        }
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

    /** A boolean hyper-parameter as stored in a state dict. */
    protected static double flag(boolean b) {
        return b ? 1 : 0;
    }
}
