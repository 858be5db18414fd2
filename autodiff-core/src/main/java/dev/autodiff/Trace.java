package dev.autodiff;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * The per-thread state of differentiation: whether operations are recorded for
 * reverse mode, which forward-mode and vmap levels are active, and the opt-in check for
 * non-finite values. Recording is confined to the thread that runs the operations.
 *
 * <p>The state changes only through {@link Scope}s, opened by the static entries below
 * ({@link #noGrad}, {@link #withGrad}, {@link #opaque}, {@link #backwardPass},
 * {@link #forwardLevel}, {@link #vmapLevel}, {@link #physicalBelow}) in a
 * try-with-resources block: closing one puts back exactly the state it found, so an
 * exception cannot leave recording off or a level open.
 */
final class Trace {
    private static final ThreadLocal<Trace> CURRENT = ThreadLocal.withInitial(Trace::new);
    private static volatile boolean checkNumerics;

    private int noGradDepth;
    /** Forward-mode levels at or above this one are not propagated (they are being computed). */
    private int tangentCeiling = Integer.MAX_VALUE;
    /** The forward-mode levels of the {@link AD#jvp} calls under way, innermost last. */
    private final IntArrayList activeLevels = new IntArrayList();
    /** The levels of the {@link AD#vmap} calls under way and their batch sizes, innermost last. */
    private final IntArrayList vmapLevels = new IntArrayList();
    private final IntArrayList vmapSizes = new IntArrayList();
    private int nextLevel = 1;
    /** Whether the running backward pass adds leaf cotangents straight into their gradients. */
    private boolean writingLeafGradients;
    /** The number of the running backward pass that recycles its cotangents' arrays, or 0. */
    private int recyclingPass;
    /** This thread's recycled arrays; made on first use. */
    private Arena arena;
    /** The primitive whose backward rule is running, for error messages. */
    private String backwardOf;

    /** What a {@link Scope} saves and restores. */
    record State(int noGradDepth, int tangentCeiling, int activeLevels, int vmapLevels, boolean writingLeafGradients,
                 int recyclingPass, String backwardOf) {}

    /**
     * A change to this thread's state, undone by {@link #close()}: every field returns to
     * what it was when the scope was opened, however the block is left. Closing twice does
     * nothing more.
     */
    final class Scope implements AutoCloseable {
        private final State saved = state();
        private final int level;
        private boolean closed;

        private Scope(int level) {
            this.level = level;
        }

        /** The level a {@link #forwardLevel} or {@link #vmapLevel} scope opened. */
        int level() {
            return level;
        }

        /** Names the primitive whose backward rule runs next, for error messages. */
        void runningRuleOf(String op) {
            backwardOf = op;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                noGradDepth = saved.noGradDepth();
                tangentCeiling = saved.tangentCeiling();
                activeLevels.size(saved.activeLevels());
                vmapLevels.size(saved.vmapLevels());
                vmapSizes.size(saved.vmapLevels());
                writingLeafGradients = saved.writingLeafGradients();
                recyclingPass = saved.recyclingPass();
                backwardOf = saved.backwardOf();
            }
        }
    }

    static Trace current() {
        return CURRENT.get();
    }

    /** This thread's state now; scopes save it, and tests compare it. */
    State state() {
        return new State(noGradDepth, tangentCeiling, activeLevels.size(), vmapLevels.size(), writingLeafGradients,
                recyclingPass, backwardOf);
    }

    /** Nothing is recorded for reverse mode until the scope closes (scopes nest); tangents still flow. */
    static Scope noGrad() {
        Trace trace = current();
        Scope scope = trace.new Scope(0);
        trace.noGradDepth++;
        return scope;
    }

    /** Recording is on whatever the caller's scope: a transform differentiates the function it was given. */
    static Scope withGrad() {
        Trace trace = current();
        Scope scope = trace.new Scope(0);
        trace.noGradDepth = 0;
        return scope;
    }

    /** Neither recording nor tangents inside: the forward computation of a custom op, whose own rules stand for it. */
    static Scope opaque() {
        Trace trace = current();
        Scope scope = trace.new Scope(0);
        trace.noGradDepth++;
        trace.tangentCeiling = 1;
        return scope;
    }

    /**
     * A backward pass: its rules are recorded only when {@code createGraph}, and with
     * {@code writeLeafGradients} they may add leaf cotangents straight into the leaves'
     * gradients ({@link Autograd#writeLeafGradient}). With {@code recycle} the cotangents
     * the pass makes come from the {@link Arena}, marked with the pass's number
     * ({@link #recyclingPass()}), so that the pass can hand them back when it ends.
     */
    static Scope backwardPass(boolean createGraph, boolean writeLeafGradients, boolean recycle) {
        Trace trace = current();
        Scope scope = trace.new Scope(0);
        trace.noGradDepth = createGraph ? 0 : trace.noGradDepth + 1;
        trace.writingLeafGradients = writeLeafGradients;
        trace.recyclingPass = recycle ? trace.arena().beginPass() : 0;
        return scope;
    }

    /** A new forward-mode level for one {@link AD#jvp} call, active until the scope closes; see {@link Scope#level()}. */
    static Scope forwardLevel() {
        Trace trace = current();
        int level = trace.nextLevel++;
        Scope scope = trace.new Scope(level);
        trace.activeLevels.add(level);
        return scope;
    }

    /**
     * A new vmap level for one {@link AD#vmap} call over {@code size} examples, active until
     * the scope closes. Levels come from the same counter as forward-mode levels, so a
     * transform called inside another always has the higher level.
     */
    static Scope vmapLevel(int size) {
        Trace trace = current();
        int level = trace.nextLevel++;
        Scope scope = trace.new Scope(level);
        trace.vmapLevels.add(level);
        trace.vmapSizes.add(size);
        return scope;
    }

    /** The level of the innermost vmap call under way, or 0. */
    int innermostVmapLevel() {
        return vmapLevels.isEmpty() ? 0 : vmapLevels.getInt(vmapLevels.size() - 1);
    }

    /** The batch size of the innermost vmap call under way. */
    int innermostVmapSize() {
        return vmapSizes.getInt(vmapSizes.size() - 1);
    }

    /** Whether the vmap call of this level is still under way. */
    boolean vmapActive(int level) {
        return vmapLevels.contains(level);
    }

    /**
     * The physical computation of an op batched at vmap level {@code level}: the tangents of
     * that level and above belong to the logical tensors, so they do not flow here.
     */
    static Scope physicalBelow(int level) {
        Trace trace = current();
        Scope scope = trace.new Scope(0);
        trace.tangentCeiling = Math.min(trace.tangentCeiling, level);
        return scope;
    }

    static void setCheckNumerics(boolean on) {
        checkNumerics = on;
    }

    static boolean checkNumerics() {
        return checkNumerics;
    }

    boolean recording() {
        return noGradDepth == 0;
    }

    /** The number of the running backward pass that recycles its cotangents, or 0. */
    int recyclingPass() {
        return recyclingPass;
    }

    /** This thread's recycled arrays. */
    Arena arena() {
        if (arena == null) {
            arena = new Arena();
        }
        return arena;
    }

    /**
     * A tensor of {@code shape} for the result of an op that reads {@code inputs}, its values
     * unset: the op must write every element. An op passes every tensor it reads, and they
     * are read here first, so that an input whose graph was freed is kept before an array is
     * recycled. The array comes from the {@link Arena} when the op will be recorded (and so
     * freed with its graph) or makes a cotangent in a recycling backward pass; otherwise it
     * is a new one.
     */
    static Tensor output(int[] shape, Tensor x) {
        return output(shape, read(x));
    }

    /** {@link #output(int[], Tensor)} for an op of two inputs. */
    static Tensor output(int[] shape, Tensor a, Tensor b) {
        return output(shape, read(a) | read(b));
    }

    /**
     * {@link #output(int[], Tensor)} for an op of three inputs. The inputs come one by one, not
     * as varargs: the array would be garbage on every op wherever the JIT does not inline this.
     */
    static Tensor output(int[] shape, Tensor a, Tensor b, Tensor c) {
        return output(shape, read(a) | read(b) | read(c));
    }

    /** Reads {@code input}'s values (keeping a freed input's) and tells whether it requires a gradient. */
    private static boolean read(Tensor input) {
        input.data();
        return input.requiresGrad;
    }

    private static Tensor output(int[] shape, boolean requiresGrad) {
        Trace trace = current();
        int pass = trace.recording() && requiresGrad ? 0 : trace.recyclingPass != 0 ? trace.recyclingPass : -1;
        return pass < 0 ? new Tensor(new float[sizeOf(shape)], shape) : trace.arena().allocate(shape, pass);
    }

    /**
     * Hands {@code temporary} back to the arena at once, for a rule whose intermediate result
     * is not a cotangent (and so not handed back when the pass ends): only when the running
     * recycling pass made it, so that nothing else can hold it.
     */
    static void discard(Tensor temporary) {
        Trace trace = current();
        if (temporary.lease != null && trace.recyclingPass != 0 && temporary.lease.pass == trace.recyclingPass) {
            trace.arena().release(temporary);
        }
    }

    /** Whether the running backward pass lets rules write leaf cotangents straight into the gradients. */
    boolean writingLeafGradients() {
        return writingLeafGradients;
    }

    /**
     * Records {@code out} as the result of {@code op} applied to {@code inputs}: a graph
     * node when an input requires a gradient, and the output's tangent at each active
     * forward-mode level. Returns {@code out}.
     *
     * <p>When {@code out} is batched at vmap level v, its physical tensor was recorded for
     * the transforms outside that vmap; here only the transforms inside it count: the
     * gradients of inputs batched at level v, and tangents of levels above v.
     */
    static Tensor record(String op, Tensor out, Rule rule, Tensor... inputs) {
        Trace trace = current();
        int vmapLevel = out.batched == null ? 0 : out.batched.level();
        if (trace.recording()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad && (vmapLevel == 0 || Batching.levelOf(in) == vmapLevel)) {
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs, rule, out);
                    if (out.lease != null && out.lease.op == null) {
                        out.lease.op = op;
                    }
                    break;
                }
            }
        }
        if (!trace.activeLevels.isEmpty()) {
            trace.propagateTangents(op, out, rule, inputs, vmapLevel);
        }
        if (checkNumerics && vmapLevel == 0) {
            checkFinite(trace, op, out, inputs);
        }
        return out;
    }

    /**
     * Computes the output tangent level by level, lowest first, so that the rule of a
     * higher level sees the lower levels' tangents on its operands (nested forward mode
     * without perturbation confusion). Only levels above {@code floor} are computed.
     */
    private void propagateTangents(String op, Tensor out, Rule rule, Tensor[] inputs, int floor) {
        int level = floor;
        while ((level = nextTangentLevel(inputs, level)) != 0) {
            Tensor[] tangents = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                tangents[i] = inputs[i].tangent(level);
            }
            Tensor t;
            try (var _ = tangentsBelow(level)) {
                t = rule.jvp(tangents);
            }
            if (t != null) {
                if (!java.util.Arrays.equals(t.shape, out.shape)) {
                    throw new IllegalStateException(op + ": JVP rule gave a tangent of shape " + Shapes.str(t.shape)
                            + " for an output of shape " + Shapes.str(out.shape));
                }
                out.setTangent(level, t);
            }
        }
    }

    /** Only levels below {@code level} flow while its tangent is computed. */
    private Scope tangentsBelow(int level) {
        Scope scope = new Scope(0);
        tangentCeiling = level;
        return scope;
    }

    /**
     * The smallest active level above {@code after} and below the ceiling at which some
     * input has a tangent, or 0. Tangents of finished jvp calls are ignored.
     */
    private int nextTangentLevel(Tensor[] inputs, int after) {
        int best = Integer.MAX_VALUE;
        for (Tensor in : inputs) {
            int l = after;
            while ((l = in.lowestTangentLevelAbove(l)) != 0) {
                if (activeLevels.contains(l)) {
                    best = Math.min(best, l);
                    break;
                }
            }
        }
        return best < tangentCeiling ? best : 0;
    }

    /** True when a rule applied to these tensors must itself be recorded or carry tangents. */
    static boolean differentiating(Tensor... tensors) {
        Trace trace = current();
        for (Tensor t : tensors) {
            if (t.requiresGrad && trace.recording()) {
                return true;
            }
        }
        return !trace.activeLevels.isEmpty() && trace.nextTangentLevel(tensors, 0) != 0;
    }

    private static void checkFinite(Trace trace, String op, Tensor out, Tensor[] inputs) {
        int i = firstNonFinite(out.data());
        if (i >= 0) {
            StringBuilder shapes = new StringBuilder();
            for (Tensor in : inputs) {
                shapes.append(shapes.isEmpty() ? "" : ", ").append(Shapes.str(in.shape));
            }
            String where = trace.backwardOf == null ? "" : " (in the backward pass of '" + trace.backwardOf + "')";
            throw new ArithmeticException("'" + op + "'" + where + " produced " + out.data()[i] + " at flat index " + i
                    + " of an output of shape " + Shapes.str(out.shape) + " from inputs of shape " + shapes);
        }
    }

    /**
     * When the check is on, fails if the cotangent a backward rule of {@code op} gave its input
     * number {@code input} is not finite. Fused rules compute without recording, so their
     * results are checked here rather than in {@link #record}.
     */
    static void checkFiniteCotangent(String op, int input, Tensor cotangent) {
        // A batched cotangent's values were checked when its physical tensor was computed.
        int i = checkNumerics && cotangent.batched == null ? firstNonFinite(cotangent.data()) : -1;
        if (i >= 0) {
            throw new ArithmeticException("the backward pass of '" + op + "' produced " + cotangent.data()[i]
                    + " at flat index " + i + " of the cotangent of its input " + input + " of shape "
                    + Shapes.str(cotangent.shape));
        }
    }

    private static int firstNonFinite(float[] d) {
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    static int sizeOf(int[] shape) {
        return dev.autodiff.kernel.Strides.size(shape);
    }
}
