package dev.autodiff;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Function transforms, as in JAX: {@code grad}, {@code valueAndGrad}, {@code vjp},
 * {@code jvp}, {@code jacfwd}, {@code jacrev} and {@code hessian}. They take functions
 * of tensors and return functions of tensors, so they compose: {@code grad(grad(f))}
 * is the second derivative. Reverse mode runs on the recorded graph; forward mode
 * pushes tangents through each primitive's JVP rule.
 */
public final class AD {
    private AD() {}

    /** A function of several tensors. */
    @FunctionalInterface
    public interface Fn {
        /** Applies the function. */
        Tensor apply(Tensor... args);
    }

    /** A function of several tensors that also returns an auxiliary result that is not differentiated. */
    @FunctionalInterface
    public interface FnWithAux<A> {
        /** Applies the function. */
        WithAux<A> apply(Tensor... args);
    }

    /** A value together with an auxiliary result (a JAX {@code has_aux} function's return). */
    public record WithAux<A>(Tensor value, A aux) {}

    /** A function's value and its gradients with respect to the chosen arguments, plus any auxiliary result. */
    public record ValueAndGrad<A>(Tensor value, Tensor[] grads, A aux) {
        /** The gradient with respect to the first chosen argument. */
        public Tensor grad() {
            return grads[0];
        }
    }

    /** The value-and-gradient function of {@link #valueAndGrad(Fn, int...)}. */
    @FunctionalInterface
    public interface ValueAndGradFn<A> {
        /** Evaluates the function and its gradients. */
        ValueAndGrad<A> apply(Tensor... args);
    }

    /** The gradients function of {@link #grads}. */
    @FunctionalInterface
    public interface GradsFn {
        /** The gradients with respect to the chosen arguments. */
        Tensor[] apply(Tensor... args);
    }

    /** Maps an output cotangent to the cotangents of the inputs (the VJP). */
    @FunctionalInterface
    public interface Pullback {
        /** The cotangent of each input for this cotangent of the output. */
        Tensor[] apply(Tensor cotangent);
    }

    /** A function's value and its pullback. */
    public record Vjp(Tensor value, Pullback pullback) {}

    /** A function's value and the directional derivative along the given tangents. */
    public record Jvp(Tensor value, Tensor tangent) {}

    // ================================================================= reverse mode

    /** The gradient of a scalar function of one tensor. */
    public static Function<Tensor, Tensor> grad(Function<Tensor, Tensor> f) {
        return x -> valueAndGrad(args -> f.apply(args[0]), 0).apply(x).grad();
    }

    /** The gradient of a scalar function with respect to argument {@code argnum}. */
    public static Fn grad(Fn f, int argnum) {
        return args -> valueAndGrad(f, argnum).apply(args).grad();
    }

    /** The gradients of a scalar function with respect to the given arguments (all when none). */
    public static GradsFn grads(Fn f, int... argnums) {
        return args -> valueAndGrad(f, argnums).apply(args).grads();
    }

    /** The value and gradient of a scalar function of one tensor. */
    public static Function<Tensor, ValueAndGrad<Void>> valueAndGrad(Function<Tensor, Tensor> f) {
        return x -> valueAndGrad(args -> f.apply(args[0]), 0).apply(x);
    }

    /** The value and the gradients with respect to the given arguments (all when none). */
    public static ValueAndGradFn<Void> valueAndGrad(Fn f, int... argnums) {
        return valueAndGradWithAux(args -> new WithAux<Void>(f.apply(args), null), argnums);
    }

    /** As {@link #valueAndGrad(Fn, int...)} for a function that also returns an auxiliary result. */
    public static <A> ValueAndGradFn<A> valueAndGradWithAux(FnWithAux<A> f, int... argnums) {
        return args -> {
            int[] wrt = argnums.length == 0 ? allIndices(args.length) : argnums;
            Tensor[] inputs = args.clone();
            Tensor[] tracked = new Tensor[wrt.length];
            for (int i = 0; i < wrt.length; i++) {
                if (wrt[i] < 0 || wrt[i] >= args.length) {
                    throw new IllegalArgumentException("grad: argument " + wrt[i] + " does not exist; the function got "
                            + args.length);
                }
                inputs[wrt[i]] = tracked[i] = track(args[wrt[i]]);
            }
            WithAux<A> out = recording(() -> f.apply(inputs));
            Tensor y = out.value();
            if (y.size() != 1) {
                throw new IllegalArgumentException("grad: the function must return a scalar, got shape "
                        + Shapes.str(y.shape) + "; use vjp or jacrev");
            }
            Tensor[] g = pull(y, Tensor.ones(y.shape), tracked, args);
            return new ValueAndGrad<>(y, g, out.aux());
        };
    }

    /** The value of {@code f} at {@code x} and its pullback. */
    public static Vjp vjp(Function<Tensor, Tensor> f, Tensor x) {
        return vjp((Fn) args -> f.apply(args[0]), x);
    }

    /** The value of {@code f} at the primals and its pullback, which may be called many times. */
    public static Vjp vjp(Fn f, Tensor... primals) {
        Tensor[] tracked = new Tensor[primals.length];
        for (int i = 0; i < primals.length; i++) {
            tracked[i] = track(primals[i]);
        }
        Tensor y = recording(() -> f.apply(tracked.clone()));
        return new Vjp(y, cotangent -> pull(y, cotangent, tracked, primals));
    }

    /**
     * A fresh tensor that stands for {@code x} inside a transformed function: it requires a
     * gradient, stays linked to {@code x} for any outer transform, and is where the
     * backward walk stops.
     */
    private static Tensor track(Tensor x) {
        Tensor t = Movement.identity(x);
        t.requiresGrad = true;
        return t;
    }

    /** The cotangents of the tracked inputs; those the output does not depend on are zeros. */
    private static Tensor[] pull(Tensor y, Tensor cotangent, Tensor[] tracked, Tensor[] originals) {
        boolean outer = cotangent.requiresGrad;
        for (Tensor x : originals) {
            outer |= x.requiresGrad;
        }
        boolean createGraph = outer && Trace.current().recording();
        Tensor[] g = Autograd.gradients(new Tensor[] {y}, new Tensor[] {cotangent}, tracked, createGraph);
        for (int i = 0; i < g.length; i++) {
            if (g[i] == null) {
                g[i] = tracked[i].zerosLike();
            }
        }
        return g;
    }

    /** Runs {@code body} with recording on, whatever the caller's scope. */
    private static <T> T recording(java.util.function.Supplier<T> body) {
        try (var _ = Trace.withGrad()) {
            return body.get();
        }
    }

    // ================================================================= forward mode

    /** The value of {@code f} at {@code x} and its derivative along {@code tangent}. */
    public static Jvp jvp(Function<Tensor, Tensor> f, Tensor x, Tensor tangent) {
        return jvp(args -> f.apply(args[0]), new Tensor[] {x}, new Tensor[] {tangent});
    }

    /**
     * The value of {@code f} at the primals and its directional derivative along the
     * tangents (one per primal, null for zero), in one forward pass.
     */
    public static Jvp jvp(Fn f, Tensor[] primals, Tensor[] tangents) {
        if (primals.length != tangents.length) {
            throw new IllegalArgumentException("jvp: " + primals.length + " primals but " + tangents.length + " tangents");
        }
        try (Trace.Scope scope = Trace.forwardLevel()) {
            int level = scope.level();
            Tensor[] inputs = new Tensor[primals.length];
            for (int i = 0; i < primals.length; i++) {
                inputs[i] = Movement.identity(primals[i]);
                if (tangents[i] != null) {
                    if (!Arrays.equals(tangents[i].shape, primals[i].shape)) {
                        throw new IllegalArgumentException("jvp: tangent " + i + " has shape " + Shapes.str(tangents[i].shape)
                                + " but its primal has shape " + Shapes.str(primals[i].shape));
                    }
                    inputs[i].setTangent(level, tangents[i]);
                }
            }
            Tensor y = f.apply(inputs);
            Tensor t = y.tangent(level);
            y.removeTangent(level);
            return new Jvp(y, t != null ? t : y.zerosLike());
        }
    }

    // ================================================================= Jacobians

    /**
     * The Jacobian by forward mode, one column per input element (one-hot tangents); its
     * shape is the output's shape followed by the input's. Cheaper than
     * {@link #jacrev} when the input is smaller than the output.
     */
    public static Function<Tensor, Tensor> jacfwd(Function<Tensor, Tensor> f) {
        return x -> {
            int n = x.size();
            if (n == 0) {
                return Tensor.zeros(concat(f.apply(x).shape, x.shape));
            }
            Tensor[] columns = new Tensor[n];
            int[] outShape = null;
            for (int j = 0; j < n; j++) {
                Tensor tangent = basis(x.shape, j);
                Jvp r = jvp(f, x, tangent);
                outShape = r.value().shape;
                columns[j] = r.tangent().reshape(-1, 1);
            }
            return Tensor.concat(1, columns).reshape(concat(outShape, x.shape));
        };
    }

    /**
     * The Jacobian by reverse mode, one row per output element (one-hot cotangents); its
     * shape is the output's shape followed by the input's. Cheaper than
     * {@link #jacfwd} when the output is smaller than the input.
     */
    public static Function<Tensor, Tensor> jacrev(Function<Tensor, Tensor> f) {
        return x -> {
            Vjp v = vjp(f, x);
            Tensor y = v.value();
            int m = y.size();
            if (m == 0) {
                return Tensor.zeros(concat(y.shape, x.shape));
            }
            Tensor[] rows = new Tensor[m];
            for (int i = 0; i < m; i++) {
                rows[i] = v.pullback().apply(basis(y.shape, i))[0].reshape(1, -1);
            }
            return Tensor.concat(0, rows).reshape(concat(y.shape, x.shape));
        };
    }

    /** The Hessian of a scalar function, forward over reverse: {@code jacfwd(grad(f))}. */
    public static Function<Tensor, Tensor> hessian(Function<Tensor, Tensor> f) {
        return jacfwd(grad(f));
    }

    /** The Hessian-vector product {@code H·v} of a scalar function in one forward-over-reverse pass. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return jvp(grad(f), x, v).tangent();
    }

    // ================================================================= helpers

    /** The same values with no gradient flowing back through them (JAX's {@code stop_gradient}). */
    public static Tensor stopGradient(Tensor x) {
        return x.detach();
    }

    private static Tensor basis(int[] shape, int index) {
        Tensor e = Tensor.zeros(shape);
        e.data[index] = 1f;
        return e;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }
}
