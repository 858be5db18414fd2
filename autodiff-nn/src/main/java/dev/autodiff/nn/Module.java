package dev.autodiff.nn;

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
 * A layer or a model, as {@code torch.nn.Module}: it owns named parameters (leaf tensors
 * that require a gradient), buffers (state that is saved but not trained, such as batch
 * norm's running statistics) and named submodules. Names are dotted paths, {@code 0.weight},
 * as in PyTorch, so that a {@link #stateDict()} carries PyTorch's keys.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     private final Linear hidden = new Linear(784, 256, rng);
 *     private final Linear output = new Linear(256, 10, rng);
 *     private final Tensor scale = Tensor.ones(10).requiresGrad();
 *
 *     public Tensor forward(Tensor x) {
 *         return output.forward(hidden.forward(x).relu()).mul(scale);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Registration.</b> As in PyTorch, where assigning {@code self.hidden = nn.Linear(...)}
 * registers it, a subclass need not register what it holds in fields: at the first use of
 * the module as a tree ({@link #parameters()}, {@link #namedParameters()},
 * {@link #stateDict()}, {@link #train()}, {@link #eval()}, ... and so an optimizer's
 * construction) every field holding a module becomes a submodule and every field holding a
 * leaf tensor that requires a gradient becomes a parameter, named after the field
 * ({@code hidden.weight}, {@code scale}). A parameter left out of the tree would silently
 * not be trained, saved or switched by {@code eval()}: discovering it, rather than failing
 * with the field's name, is what a PyTorch user expects and spares each custom layer a
 * second spelling of every name. What cannot be discovered fails with the field's name: a
 * computed tensor that requires a gradient, and modules or parameters in arrays, lists or
 * maps (hold those in a {@link Sequential}). Registering by hand stays possible and is
 * needed for buffers and for names that are not field names ({@link #registerParameter},
 * {@link #registerBuffer}, {@link #registerModule}); hand-registered state comes first, then
 * the discovered fields, superclass fields first, each class's in declaration order. Static
 * and {@code transient} fields, null values, tensors that require no gradient (constants),
 * and fields assigned after the first use are not registered. In a named (JPMS) module the
 * fields can only be read if the package is open to {@code dev.autodiff.nn}; a field
 * registered by hand under its own name needs no reading.
 *
 * <p><b>Inputs.</b> A module of one input implements {@link #forward(Tensor)}, and so
 * chains in a {@link Sequential}; one of several extends {@link MultiInputModule} and
 * implements {@link #forward(Tensor...)}. {@code forward(x, y)} works on every module and
 * checks the count.
 *
 * <p><b>The name.</b> It is PyTorch's. Java has a {@code java.lang.Module} too, which is
 * imported implicitly: under {@code import dev.autodiff.nn.*;} the simple name
 * {@code Module} is ambiguous (javac: "reference to Module is ambiguous"), and under Java
 * 25's {@code import module dev.autodiff.nn;} it means {@code java.lang.Module}. A
 * single-type import wins over both, as it does for Guice's and Jackson's {@code Module}:
 * <pre>{@code
 * import dev.autodiff.nn.*;
 * import dev.autodiff.nn.Module;
 * }</pre>
 *
 * <p>Modules start in training mode; {@link #eval()} switches a whole tree to inference.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean fieldsRegistered;

    /** An empty module in training mode; the subclass registers its state. */
    protected Module() {}

    /** The output of this module for the input {@code x}. */
    public abstract Tensor forward(Tensor x);

    /**
     * The output of this module for several inputs. A module of one input takes exactly
     * one here; a {@link MultiInputModule} overrides this.
     */
    public Tensor forward(Tensor... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(name() + ".forward: takes 1 input, got " + inputs.length
                    + " (a module of several inputs extends MultiInputModule)");
        }
        return forward(inputs[0]);
    }

    // ---------------------------------------------------------------- registration

    /** Registers a parameter under {@code name}, marks it as requiring a gradient and returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkFreeName(name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf tensor, got the result of " + value.op());
        }
        parameters.put(name, value.requiresGrad());
        return value;
    }

    /** Registers a buffer (saved in the state dict, not trained) under {@code name} and returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkFreeName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a submodule under {@code name} and returns it; a module cannot contain itself. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkFreeName(name);
        if (((Module) module).reaches(this)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": submodule '" + name
                    + "' contains this module, which would make the tree a cycle");
        }
        children.put(name, module);
        return module;
    }

    /** Whether {@code target} is this module or among its registered submodules, at any depth. */
    private boolean reaches(Module target) {
        if (this == target) {
            return true;
        }
        for (Module child : children.values()) {
            if (child.reaches(target)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} is registered on this module (a parameter, a buffer or a submodule). */
    final boolean hasName(String name) {
        return parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name);
    }

    /** Every module, parameter and buffer of the tree under this module, this module included, by identity. */
    final Set<Object> tree() {
        registerFields();
        Set<Object> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.add(this);
        out.addAll(parameters.values());
        out.addAll(buffers.values());
        for (Module child : children.values()) {
            out.addAll(child.tree());
        }
        return out;
    }

    /** Registers, once, what this module holds in fields but never registered ({@link ModuleFields}). */
    private void registerFields() {
        if (!fieldsRegistered) {
            fieldsRegistered = true;
            ModuleFields.register(this);
        }
    }

    private void checkFreeName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": bad name '" + name
                    + "' (names must be non-empty and contain no dot)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already taken");
        }
    }

    // ---------------------------------------------------------------- traversal

    /** The direct submodules by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        registerFields();
        return Collections.unmodifiableMap(children);
    }

    /** All parameters of this module and its submodules by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    /** All buffers of this module and its submodules by dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return out;
    }

    /** Parameters and buffers in PyTorch's state-dict order: each module's parameters, its buffers, then its children. */
    private void collect(String prefix, Map<String, Tensor> out, boolean withParameters, boolean withBuffers) {
        registerFields();
        if (withParameters) {
            parameters.forEach((name, p) -> out.put(prefix + name, p));
        }
        if (withBuffers) {
            buffers.forEach((name, b) -> out.put(prefix + name, b));
        }
        children.forEach((name, child) -> child.collect(prefix + name + ".", out, withParameters, withBuffers));
    }

    /** The distinct parameters (a parameter shared by two modules appears once), in registration order. */
    public final List<Tensor> parameters() {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : namedParameters().values()) {
            if (seen.add(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The number of trainable values, counting a shared parameter once. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    // ---------------------------------------------------------------- mode

    /*
     * The mode switches return this module as the type it is assigned to, as PyTorch's return
     * self: Mlp m = new Mlp(...).eval(). (Assigned to a type this module is not, the cast
     * fails there, with a ClassCastException.)
     */

    /** Sets training mode ({@code true}) or evaluation mode for this module and all submodules; returns this. */
    @SuppressWarnings("unchecked")
    public final <M extends Module> M train(boolean on) {
        registerFields();
        training = on;
        children.values().forEach(c -> c.train(on));
        return (M) this;
    }

    /** Switches to training mode; returns this, typed as the variable it is assigned to. */
    public final <M extends Module> M train() {
        return train(true);
    }

    /** Switches to evaluation mode (dropout off, batch norm on running statistics); returns this, typed as the variable it is assigned to. */
    public final <M extends Module> M eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * Parameters and buffers by PyTorch's names and in PyTorch's layouts. The tensors share
     * their values with the module, as PyTorch's do: copy them for a snapshot that must
     * not follow further training.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        out.replaceAll((name, t) -> t.detach());
        return out;
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, in
     * place (optimizers keep their references). Entries whose shape differs are always an
     * error; with {@code strict}, so are missing and unexpected names. All problems are
     * reported together in one {@link StateDictException}, and nothing is copied then.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        state.forEach((name, t) -> shapes.put(name, t.shape()));
        Map<String, Tensor> own = checkStateDict(shapes, strict);
        own.forEach((name, target) -> {
            Tensor source = state.get(name);
            if (source != null) {
                target.copyFrom(source);
            }
        });
    }

    /**
     * Checks that a state dict of the given names and shapes fits this module, as
     * {@link #loadStateDict} does, without needing its values: a file's header can be checked
     * before its tensors are read.
     *
     * @return this module's own parameters and buffers by name
     * @throws StateDictException listing every problem
     */
    public final Map<String, Tensor> checkStateDict(Map<String, int[]> shapes, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        collect("", own, true, true);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        own.forEach((name, target) -> {
            int[] source = shapes.get(name);
            if (source == null) {
                missing.add(name);
            } else if (!Arrays.equals(source, target.shape())) {
                mismatched.add(name + ": checkpoint " + Arrays.toString(source) + ", model "
                        + Arrays.toString(target.shape()));
            }
        });
        List<String> unexpected = new ArrayList<>();
        for (String name : shapes.keySet()) {
            if (!own.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            throw new StateDictException(getClass().getSimpleName(), strict ? missing : List.of(),
                    strict ? unexpected : List.of(), mismatched);
        }
        return own;
    }

    // ---------------------------------------------------------------- text

    /** The arguments shown between the parentheses of {@link #toString()}, as PyTorch's {@code extra_repr}. */
    protected String extraRepr() {
        return "";
    }

    /** The architecture in PyTorch's format: the name, its arguments and each submodule on its own indented line. */
    @Override
    public String toString() {
        registerFields();
        String extra = extraRepr();
        if (children.isEmpty()) {
            return name() + "(" + extra + ")";
        }
        StringBuilder sb = new StringBuilder(name()).append("(\n");
        if (!extra.isEmpty()) {
            sb.append("  ").append(extra.replace("\n", "\n  ")).append('\n');
        }
        children.forEach((name, child) ->
                sb.append("  (").append(name).append("): ").append(child.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }

    /** The name shown by {@link #toString()}; the class name unless overridden. */
    protected String name() {
        return getClass().getSimpleName();
    }
}
