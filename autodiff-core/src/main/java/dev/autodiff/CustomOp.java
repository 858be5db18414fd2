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
        Tensor u = Tensor.zeros(output.shape).requiresGrad();
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
        Tensor value;
        try (var _ = Trace.opaque()) {
            value = forward(in);
        }
        Tensor out = value.view(value.shape);
        return Trace.record(name, out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                Tensor[] grads = CustomOp.this.vjp(in, out, g);
                if (grads.length != in.length) {
                    throw new IllegalStateException(name + ": VJP returned " + grads.length + " cotangents for "
                            + in.length + " inputs");
                }
                return grads;
            }

            public Tensor jvp(Tensor[] t) {
                return CustomOp.this.jvp(in, out, t);
            }
        }, in);
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
