package dev.autodiff;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Function transforms, as in JAX: {@code grad}, {@code valueAndGrad}, {@code vjp},
 * {@code jvp}, {@code jacfwd}, {@code jacrev}, {@code hessian}, {@code hvp} and
 * {@code vmap}, for functions of one tensor and, with JAX's {@code argnums}, of several.
 * They take functions of tensors and return functions of tensors, so they compose:
 * {@code grad(grad(f))} is the second derivative, {@code vmap(grad(f))} gives one
 * gradient per example. Reverse mode runs on the recorded graph; forward mode pushes
 * tangents through each primitive's JVP rule; vmap runs each primitive once on the
 * stacked examples through its batching rule.
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

    /** A function of several tensors with several results. */
    @FunctionalInterface
    public interface MultiFn {
        /** Applies the function. */
        Tensor[] apply(Tensor... args);
    }

    /** The gradients function of {@link #grads}. */
    @FunctionalInterface
    public interface GradsFn extends MultiFn {
        /** The gradients with respect to the chosen arguments. */
        @Override
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

    /** The Jacobians of {@link #jacfwd(Fn, int...)} and {@link #jacrev(Fn, int...)}: one block per chosen argument. */
    @FunctionalInterface
    public interface JacobianFn {
        /** The Jacobian blocks at these arguments. */
        Tensor[] apply(Tensor... args);
    }

    /** The Hessian of {@link #hessian(Fn, int...)}: block {@code [i][j]} for the chosen arguments i and j. */
    @FunctionalInterface
    public interface HessianFn {
        /** The Hessian blocks at these arguments. */
        Tensor[][] apply(Tensor... args);
    }

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
            int[] wrt = chosen("grad", argnums, args.length);
            Tensor[] inputs = args.clone();
            Tensor[] tracked = new Tensor[wrt.length];
            for (int i = 0; i < wrt.length; i++) {
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
        return vjp(f, primals, allIndices(primals.length));
    }

    /** The value and the pullback to the arguments {@code wrt} only; the others stay constants. */
    private static Vjp vjp(Fn f, Tensor[] primals, int[] wrt) {
        Tensor[] inputs = primals.clone();
        Tensor[] tracked = new Tensor[wrt.length];
        Tensor[] originals = new Tensor[wrt.length];
        for (int i = 0; i < wrt.length; i++) {
            originals[i] = primals[wrt[i]];
            inputs[wrt[i]] = tracked[i] = track(originals[i]);
        }
        Tensor y = recording(() -> f.apply(inputs));
        return new Vjp(y, cotangent -> pull(y, cotangent, tracked, originals));
    }

    /**
     * A fresh tensor that stands for {@code x} inside a transformed function: it requires a
     * gradient, stays linked to {@code x} for any outer transform, and is where the
     * backward walk stops. Inside a vmap it belongs to that vmap's level, so that its
     * gradient is one per example even where {@code x} is shared by all of them.
     */
    static Tensor track(Tensor x) {
        Tensor t = Movement.identity(Batching.atInnermostLevel(x));
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
     * The Jacobian by forward mode: the JVPs along every one-hot tangent, in one forward
     * pass batched by {@link #vmap} (as JAX's {@code jacfwd}); its shape is the output's
     * shape followed by the input's. Cheaper than {@link #jacrev} when the input is
     * smaller than the output. Its intermediate values hold one tangent per input element.
     */
    public static Function<Tensor, Tensor> jacfwd(Function<Tensor, Tensor> f) {
        return x -> jacfwd(args -> f.apply(args[0]), 0).apply(x)[0];
    }

    /**
     * The Jacobians by forward mode with respect to the chosen arguments (all when none),
     * as JAX's {@code jacfwd(f, argnums)}: block k has the output's shape followed by the
     * shape of argument {@code argnums[k]}, from one forward pass batched over every
     * one-hot tangent of that argument. Give a lambda its argnums,
     * {@code jacfwd(a -> a[0].mul(a[1]), 0, 1)}, or the type {@link Fn}: without them it
     * would match the one-argument {@code jacfwd(Function)}.
     */
    public static JacobianFn jacfwd(Fn f, int... argnums) {
        return args -> {
            int[] wrt = chosen("jacfwd", argnums, args.length);
            Tensor[] blocks = new Tensor[wrt.length];
            for (int k = 0; k < wrt.length; k++) {
                int arg = wrt[k];
                Tensor x = args[arg];
                int n = x.size();
                if (n == 0) {
                    blocks[k] = Tensor.zeros(concat(f.apply(args).shape, x.shape));
                    continue;
                }
                Tensor columns = vmap(t -> {
                    Tensor[] tangents = new Tensor[args.length];
                    tangents[arg] = t;
                    return jvp(f, args, tangents).tangent();
                }).apply(basis(n, x.shape));
                int[] outShape = Arrays.copyOfRange(columns.shape, 1, columns.rank());
                blocks[k] = columns.reshape(n, -1).transpose().reshape(concat(outShape, x.shape));
            }
            return blocks;
        };
    }

    /**
     * The Jacobian by reverse mode: the VJPs of every one-hot cotangent, from one forward
     * pass and one backward pass batched by {@link #vmap} (as JAX's {@code jacrev}); its
     * shape is the output's shape followed by the input's. Cheaper than {@link #jacfwd}
     * when the output is smaller than the input. Its intermediate values hold one
     * cotangent per output element.
     */
    public static Function<Tensor, Tensor> jacrev(Function<Tensor, Tensor> f) {
        return x -> jacrev(args -> f.apply(args[0]), 0).apply(x)[0];
    }

    /**
     * The Jacobians by reverse mode with respect to the chosen arguments (all when none),
     * as JAX's {@code jacrev(f, argnums)}: one forward pass, then one backward pass batched
     * over every one-hot cotangent of the output gives every block; blocks have the shapes
     * of {@link #jacfwd(Fn, int...)}.
     */
    public static JacobianFn jacrev(Fn f, int... argnums) {
        return args -> {
            int[] wrt = chosen("jacrev", argnums, args.length);
            Vjp v = vjp(f, args, wrt);
            Tensor y = v.value();
            // with no outputs, or no inputs to differentiate by, every block is empty
            int m = Arrays.stream(wrt).allMatch(k -> args[k].size() == 0) ? 0 : y.size();
            Tensor[] blocks = m == 0 ? new Tensor[wrt.length]
                    : vmapMulti(c -> v.pullback().apply(c[0]), 0).apply(basis(m, y.shape));
            for (int k = 0; k < wrt.length; k++) {
                int[] shape = concat(y.shape, args[wrt[k]].shape);
                blocks[k] = m == 0 ? Tensor.zeros(shape) : blocks[k].reshape(shape);
            }
            return blocks;
        };
    }

    /** The Hessian of a scalar function, forward over reverse: {@code jacfwd(grad(f))}. */
    public static Function<Tensor, Tensor> hessian(Function<Tensor, Tensor> f) {
        return x -> hessian(args -> f.apply(args[0]), 0).apply(x)[0][0];
    }

    /**
     * The Hessian of a scalar function with respect to the chosen arguments (all when
     * none), forward over reverse, as JAX's {@code hessian(f, argnums)}: block {@code [i][j]}
     * is {@code ∂²f/∂x_i∂x_j}, of the shape of argument {@code argnums[i]} followed by that
     * of {@code argnums[j]}.
     */
    public static HessianFn hessian(Fn f, int... argnums) {
        return args -> {
            int[] wrt = chosen("hessian", argnums, args.length);
            Tensor[] columns = jacfwd(packedGradient(f, wrt), wrt).apply(args);
            Tensor[][] blocks = new Tensor[wrt.length][wrt.length];
            for (int j = 0; j < wrt.length; j++) {
                Tensor[] rows = split(columns[j], args, wrt);
                for (int i = 0; i < wrt.length; i++) {
                    blocks[i][j] = rows[i].reshape(concat(args[wrt[i]].shape, args[wrt[j]].shape));
                }
            }
            return blocks;
        };
    }

    /** The Hessian-vector product {@code H·v} of a scalar function in one forward-over-reverse pass. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return hvp(args -> f.apply(args[0]), new Tensor[] {x}, new Tensor[] {v}, 0)[0];
    }

    /**
     * The Hessian-vector product with respect to the chosen arguments (all when none), in
     * one forward-over-reverse pass: with one tangent per chosen argument, result k is
     * {@code Σ_j H[k][j]·tangents[j]} in the shape of argument {@code argnums[k]}.
     */
    public static Tensor[] hvp(Fn f, Tensor[] primals, Tensor[] tangents, int... argnums) {
        int[] wrt = chosen("hvp", argnums, primals.length);
        if (tangents.length != wrt.length) {
            throw new IllegalArgumentException("hvp: " + tangents.length + " tangents for " + wrt.length
                    + " differentiated arguments");
        }
        Tensor[] all = new Tensor[primals.length];
        for (int k = 0; k < wrt.length; k++) {
            all[wrt[k]] = tangents[k];
        }
        Tensor product = jvp(packedGradient(f, wrt), primals, all).tangent();
        Tensor[] parts = split(product.reshape(-1, 1), primals, wrt);
        for (int k = 0; k < wrt.length; k++) {
            parts[k] = parts[k].reshape(primals[wrt[k]].shape);
        }
        return parts;
    }

    /** The gradients with respect to the chosen arguments, flattened and joined into one vector. */
    private static Fn packedGradient(Fn f, int[] wrt) {
        GradsFn gradients = grads(f, wrt);
        return args -> {
            Tensor[] g = gradients.apply(args);
            Tensor[] flat = new Tensor[g.length];
            for (int k = 0; k < g.length; k++) {
                flat[k] = g[k].reshape(-1);
            }
            return Tensor.concat(0, flat);
        };
    }

    /** The rows of {@code packed} that belong to each chosen argument, in order (the inverse of {@link #packedGradient}). */
    private static Tensor[] split(Tensor packed, Tensor[] args, int[] wrt) {
        Tensor[] parts = new Tensor[wrt.length];
        int start = 0;
        for (int k = 0; k < wrt.length; k++) {
            int n = args[wrt[k]].size();
            parts[k] = packed.slice(0, start, start + n);
            start += n;
        }
        return parts;
    }

    // ================================================================= vectorising

    /** A function made by {@link #vmap(Fn, Integer...)}, whose result has its batch axis in front. */
    public interface VmapFn extends Fn {
        /** The same function with the batch axis of its result at {@code axis} (negative: from the end). */
        Fn outAxis(int axis);
    }

    /** A function made by {@link #vmapMulti}, whose results have their batch axes in front. */
    public interface VmapMultiFn extends MultiFn {
        /** The same function with the batch axis of result i at {@code axes[i]} (negative: from the end). */
        MultiFn outAxes(int... axes);
    }

    /**
     * {@code f} applied to every slice of its argument along axis 0, as one computation:
     * {@code vmap(f).apply(xs)} stacks {@code f(xs[b])} for every b along a new axis 0.
     * See {@link #vmap(Fn, Integer...)}.
     */
    public static Function<Tensor, Tensor> vmap(Function<Tensor, Tensor> f) {
        Fn batched = vmap((Fn) args -> f.apply(args[0]), 0);
        return x -> batched.apply(x);
    }

    /**
     * Vectorises {@code f} over a batch axis, like JAX's {@code vmap} and
     * {@code torch.func.vmap}: the returned function stacks, along a new axis 0 of its
     * result ({@link VmapFn#outAxis} puts it elsewhere), what {@code f} gives for each
     * example, where example b of an argument is its slice b along that argument's
     * in-axis, and an argument whose in-axis is {@code null} is passed whole to every
     * example. With no in-axes at all, every argument is mapped along axis 0. Axes may be
     * negative, counted from the end.
     *
     * <p>{@code f} is written for one example and runs once: each primitive it calls runs
     * once on the stacked examples through its batching rule, not once per example. It
     * composes with every transform in either order and nests: {@code vmap(grad(f))}
     * gives per-example gradients, {@code grad(vmap(f))} the gradient of a batched
     * function, {@code vmap(vmap(f))} maps over two axes.
     *
     * <ul>
     * <li>Random tensors drawn inside {@code f} (from a generator, as every factory here
     *     does) are drawn once and shared by every example, like JAX with an unbatched key
     *     and PyTorch's {@code randomness="same"}. For noise that differs by example, draw
     *     it outside with a batch axis and pass it as a mapped argument.</li>
     * <li>In-place updates ({@code addInPlace} and the others) of a batched tensor update
     *     each example; writing a value that differs by example into a tensor shared by
     *     all of them throws.</li>
     * <li>Reading values ({@code item()}, {@code toArray()}, {@code values()}) of a tensor
     *     that differs by example throws, as does {@code backward()} on it: use
     *     {@link #grad} or {@link #vjp} inside {@code f}. A batched tensor kept after its
     *     vmap call returned cannot be used.</li>
     * <li>A {@link CustomOp} runs its forward once per example, unless it has a batching rule
     *     ({@link CustomOp#batchedBy}); its VJP and JVP run batched either way.</li>
     * </ul>
     *
     * <p>The returned function throws {@link IllegalArgumentException} when no argument is
     * mapped, when an in-axis does not exist, or when mapped arguments have different batch
     * sizes.
     */
    public static VmapFn vmap(Fn f, Integer... inAxes) {
        MultiFn multi = args -> new Tensor[] {f.apply(args)};
        Integer[] axes = inAxes.clone();
        return new VmapFn() {
            @Override
            public Tensor apply(Tensor... args) {
                return Batching.call("vmap", multi, axes, null, args)[0];
            }

            @Override
            public Fn outAxis(int axis) {
                return args -> Batching.call("vmap", multi, axes, new int[] {axis}, args)[0];
            }
        };
    }

    /**
     * {@link #vmap(Fn, Integer...)} for a function with several results, such as
     * {@link #grads}: {@code vmapMulti(grads(loss, 0, 1), null, null, 0, 0)} gives the
     * gradients of a loss with respect to two shared parameters for every example of the
     * mapped data. Every result has its batch axis in front unless {@link VmapMultiFn#outAxes}
     * says otherwise.
     */
    public static VmapMultiFn vmapMulti(MultiFn f, Integer... inAxes) {
        Integer[] axes = inAxes.clone();
        return new VmapMultiFn() {
            @Override
            public Tensor[] apply(Tensor... args) {
                return Batching.call("vmap", f, axes, null, args);
            }

            @Override
            public MultiFn outAxes(int... outAxes) {
                int[] out = outAxes.clone();
                return args -> Batching.call("vmap", f, axes, out, args);
            }
        };
    }

    // ================================================================= helpers

    /** The same values with no gradient flowing back through them (JAX's {@code stop_gradient}). */
    public static Tensor stopGradient(Tensor x) {
        return x.detach();
    }

    /** The {@code n} one-hot tensors of {@code shape} (of {@code n} elements), stacked along a new axis 0. */
    private static Tensor basis(int n, int[] shape) {
        return Tensor.eye(n).reshape(concat(new int[] {n}, shape));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The argument numbers to differentiate (all when none given), checked: in range and distinct. */
    private static int[] chosen(String op, int[] argnums, int count) {
        int[] wrt = argnums.length == 0 ? allIndices(count) : argnums.clone();
        boolean[] seen = new boolean[count];
        for (int a : wrt) {
            if (a < 0 || a >= count) {
                throw new IllegalArgumentException(op + ": argument " + a + " does not exist; the function got " + count);
            }
            if (seen[a]) {
                throw new IllegalArgumentException(op + ": argument " + a + " is chosen twice in "
                        + Arrays.toString(argnums));
            }
            seen[a] = true;
        }
        return wrt;
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }
}
