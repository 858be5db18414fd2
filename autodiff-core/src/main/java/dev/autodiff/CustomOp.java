package dev.autodiff;

/**
 * A differentiable operation defined by the user: its forward computation, its VJP
 * and, optionally, its JVP. It works under every transform: {@link Tensor#backward()},
 * {@link AD#grad}, {@link AD#jvp}, Jacobians and Hessians.
 *
 * <pre>{@code
 * CustomOp swish = CustomOp.of("swish", 1,
 *         in -> in[0].mul(in[0].sigmoid()),
 *         (in, out, g) -> {
 *             Tensor s = in[0].sigmoid();
 *             return new Tensor[] {g.mul(s.add(in[0].mul(s).mul(s.neg().add(1f))))};
 *         });
 * Tensor y = swish.apply(x);
 * GradCheck.check(swish::apply, x).assertPassed();
 * }</pre>
 *
 * <p>The forward pass runs without recording, so it may use any tensor operation or
 * compute values directly. Write the VJP (and JVP) with tensor operations: then higher
 * derivatives work too. Without a JVP, forward mode transposes the VJP, which is exact
 * because the VJP is linear in its cotangent. An op declares how many inputs it takes, and
 * a call with another count fails at once, naming the op.
 *
 * <p>Under {@link AD#vmap}, the rules run on batched tensors like any other code. The
 * forward pass, which may read values directly, runs once per example unless the op has a
 * batching rule: {@link #batchedBy} gives one (or a subclass overrides
 * {@link #forwardBatched}), which computes every example's output at once.
 */
public abstract class CustomOp {
    private final String name;
    private final int inputs;

    /**
     * Creates an op of {@code inputs} inputs that reports itself under {@code name} in graphs
     * and error messages.
     */
    protected CustomOp(String name, int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("CustomOp " + name + ": takes at least 1 input, got " + inputs);
        }
        this.name = name;
        this.inputs = inputs;
    }

    /** The forward rule of {@link #of}. */
    @FunctionalInterface
    public interface Forward {
        /** The output for these inputs. */
        Tensor apply(Tensor[] inputs);
    }

    /** The VJP rule of {@link #of}. */
    @FunctionalInterface
    public interface Vjp {
        /** The cotangent of each input (null for zero) given the output's cotangent. */
        Tensor[] apply(Tensor[] inputs, Tensor output, Tensor cotangent);
    }

    /** The batching rule of {@link #batchedBy}. */
    @FunctionalInterface
    public interface BatchedForward {
        /**
         * The output of every example, stacked along axis 0. Input i holds every example's
         * value stacked along axis 0 when {@code mapped[i]}, else the value all examples share.
         */
        Tensor apply(Tensor[] inputs, boolean[] mapped);
    }

    /** The JVP rule of {@link #of}. */
    @FunctionalInterface
    public interface Jvp {
        /** The output's tangent given each input's tangent (null for zero). */
        Tensor apply(Tensor[] inputs, Tensor output, Tensor[] tangents);
    }

    /** An op of {@code inputs} inputs from a forward and a VJP rule; forward mode transposes the VJP. */
    public static CustomOp of(String name, int inputs, Forward forward, Vjp vjp) {
        return of(name, inputs, forward, vjp, null);
    }

    /** An op of {@code inputs} inputs from a forward, a VJP and a JVP rule. */
    public static CustomOp of(String name, int inputs, Forward forward, Vjp vjp, Jvp jvp) {
        return new CustomOp(name, inputs) {
            @Override
            protected Tensor forward(Tensor... inputs) {
                return forward.apply(inputs);
            }

            @Override
            protected Tensor[] vjp(Tensor[] inputs, Tensor output, Tensor cotangent) {
                return vjp.apply(inputs, output, cotangent);
            }

            @Override
            protected Tensor jvp(Tensor[] inputs, Tensor output, Tensor[] tangents) {
                return jvp != null ? jvp.apply(inputs, output, tangents) : super.jvp(inputs, output, tangents);
            }
        };
    }

    /** The output for these inputs, computed without recording. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * The batching rule under {@link AD#vmap}: the output of every example at once,
     * computed without recording, as {@link BatchedForward#apply}; or null, the default,
     * when the op has none and its forward runs once per example. Its VJP and JVP need no
     * batching rule: they run batched as they are. Under nested vmaps the rule batches the
     * outermost one, once for each example of the inner ones.
     */
    protected Tensor forwardBatched(Tensor[] inputs, boolean[] mapped) {
        return null;
    }

    /** This op with a batching rule: under {@link AD#vmap}, {@code rule} computes every example's output at once. */
    public CustomOp batchedBy(BatchedForward rule) {
        CustomOp op = this;
        return new CustomOp(name, inputs) {
            @Override
            protected Tensor forward(Tensor... inputs) {
                return op.forward(inputs);
            }

            @Override
            protected Tensor forwardBatched(Tensor[] inputs, boolean[] mapped) {
                return rule.apply(inputs, mapped);
            }

            @Override
            protected Tensor[] vjp(Tensor[] inputs, Tensor output, Tensor cotangent) {
                return op.vjp(inputs, output, cotangent);
            }

            @Override
            protected Tensor jvp(Tensor[] inputs, Tensor output, Tensor[] tangents) {
                return op.jvp(inputs, output, tangents);
            }
        };
    }

    /** The cotangent of each input (null for zero) given the output's cotangent. */
    protected abstract Tensor[] vjp(Tensor[] inputs, Tensor output, Tensor cotangent);

    /**
     * The output's tangent given each input's tangent (null for zero). The default
     * transposes the VJP: {@code J·t} is the VJP of {@code u ↦ Jᵀu} applied to {@code t}.
     */
    protected Tensor jvp(Tensor[] inputs, Tensor output, Tensor[] tangents) {
        boolean outer = false;
        for (Tensor t : inputs) {
            outer |= t.requiresGrad;
        }
        for (Tensor t : tangents) {
            outer |= t != null && t.requiresGrad;
        }
        boolean createGraph = outer && Trace.current().recording();
        Tensor u = AD.track(Tensor.zeros(output.shape));
        Tensor[] transposed;
        try (var _ = Trace.withGrad()) {
            transposed = vjp(inputs, output, u);
        }
        int count = 0;
        for (int i = 0; i < tangents.length; i++) {
            if (tangents[i] != null && transposed[i] != null) {
                count++;
            }
        }
        Tensor[] outputs = new Tensor[count];
        Tensor[] cotangents = new Tensor[count];
        for (int i = 0, k = 0; i < tangents.length; i++) {
            if (tangents[i] != null && transposed[i] != null) {
                outputs[k] = transposed[i];
                cotangents[k++] = tangents[i];
            }
        }
        return count == 0 ? null : Autograd.gradients(outputs, cotangents, new Tensor[] {u}, createGraph)[0];
    }

    /** Applies the op, recording it for reverse mode and pushing tangents through it. */
    public final Tensor apply(Tensor... inputs) {
        if (inputs.length != this.inputs) {
            throw new IllegalArgumentException(name + ": takes " + this.inputs + " input" + (this.inputs == 1 ? "" : "s")
                    + ", got " + inputs.length);
        }
        Tensor[] in = inputs.clone();
        Tensor out;
        if (Batching.any(in)) {
            out = Batching.apply(name, in, f -> batched(f, in));
        } else {
            Tensor value;
            try (var _ = Trace.opaque()) {
                value = forward(in);
            }
            out = value.view(value.shape);
        }
        return Trace.record(name, out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return checkedVjp(in, out, g);
            }

            public Tensor jvp(Tensor[] t) {
                return CustomOp.this.jvp(in, out, t);
            }
        }, in);
    }

    private Tensor[] checkedVjp(Tensor[] in, Tensor out, Tensor g) {
        Tensor[] grads = vjp(in, out, g);
        if (grads.length != in.length) {
            throw new IllegalStateException(name + ": VJP returned " + grads.length + " cotangents for " + in.length
                    + " inputs");
        }
        return grads;
    }

    /**
     * The op on the stacked examples of a vmap ({@code logical} are the inputs the function
     * saw): its batching rule when it has one and the operands are not batched by an outer
     * vmap too, else once per example. The rule's result is recorded for the transforms
     * outside the vmap with the op's own VJP and JVP, vmapped over the examples.
     */
    private Tensor batched(Batching.Frame f, Tensor[] logical) {
        int n = logical.length;
        Tensor[] physical = new Tensor[n];
        boolean[] mapped = new boolean[n];
        boolean nested = false;
        for (int i = 0; i < n; i++) {
            physical[i] = f.x(i);
            mapped[i] = f.mapped(i);
            nested |= Batching.any(physical[i]);
        }
        Tensor value = null;
        if (f.anyMapped() && !nested) {
            try (var _ = Trace.opaque()) {
                value = forwardBatched(physical.clone(), mapped.clone());
            }
        }
        if (value == null) {
            return Batching.perExample(f, this::apply, logical);
        }
        Tensor out = value.view(value.shape);
        return Trace.record(name, out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                Integer[] axes = inAxes(mapped, 0, 0);
                Tensor[] grads = Batching.call(name, a -> {
                    Tensor[] in = java.util.Arrays.copyOf(a, n);
                    Tensor[] each = checkedVjp(in, a[n], a[n + 1]);
                    for (int i = 0; i < n; i++) {
                        each[i] = each[i] != null ? each[i] : in[i].zerosLike();
                    }
                    return each;
                }, axes, null, append(physical, out, g));
                for (int i = 0; i < n; i++) {
                    // a shared input's cotangent is the sum of its examples'
                    grads[i] = mapped[i] ? grads[i] : grads[i].sum(0);
                }
                return grads;
            }

            public Tensor jvp(Tensor[] t) {
                Integer[] axes = inAxes(mapped, 0);
                Tensor[] args = append(physical, out);
                for (int i = 0; i < n; i++) {
                    if (t[i] != null) {
                        axes = java.util.Arrays.copyOf(axes, axes.length + 1);
                        axes[axes.length - 1] = mapped[i] ? 0 : null;
                        args = append(args, t[i]);
                    }
                }
                return Batching.call(name, a -> {
                    Tensor[] in = java.util.Arrays.copyOf(a, n);
                    Tensor[] tangents = new Tensor[n];
                    for (int i = 0, k = n + 1; i < n; i++) {
                        tangents[i] = t[i] != null ? a[k++] : null;
                    }
                    Tensor each = CustomOp.this.jvp(in, a[n], tangents);
                    return new Tensor[] {each != null ? each : a[n].zerosLike()};
                }, axes, null, args)[0];
            }
        }, physical);
    }

    /** In-axes for the inputs (0 where mapped, else null) followed by {@code more}. */
    private static Integer[] inAxes(boolean[] mapped, Integer... more) {
        Integer[] axes = new Integer[mapped.length + more.length];
        for (int i = 0; i < mapped.length; i++) {
            axes[i] = mapped[i] ? 0 : null;
        }
        System.arraycopy(more, 0, axes, mapped.length, more.length);
        return axes;
    }

    private static Tensor[] append(Tensor[] xs, Tensor... more) {
        Tensor[] out = java.util.Arrays.copyOf(xs, xs.length + more.length);
        System.arraycopy(more, 0, out, xs.length, more.length);
        return out;
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** The number of inputs the op takes. */
    public int inputCount() {
        return inputs;
    }
}
