package dev.autodiff;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * The per-thread state of differentiation: whether operations are recorded for
 * reverse mode, which forward-mode levels are active, and the opt-in check for
 * non-finite values. Recording is confined to the thread that runs the operations.
 */
final class Trace {
    private static final ThreadLocal<Trace> CURRENT = ThreadLocal.withInitial(Trace::new);
    private static volatile boolean checkNumerics;

    int noGradDepth;
    /** Forward-mode levels at or above this one are not propagated (they are being computed). */
    int tangentCeiling = Integer.MAX_VALUE;
    /** The forward-mode levels of the {@link AD#jvp} calls under way, innermost last. */
    private final IntArrayList activeLevels = new IntArrayList();
    private int nextLevel = 1;
    /** Whether the running backward pass adds leaf cotangents straight into their gradients. */
    boolean writingLeafGradients;
    /** The primitive whose backward rule is running, for error messages. */
    String backwardOf;

    static Trace current() {
        return CURRENT.get();
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

    /**
     * Records {@code out} as the result of {@code op} applied to {@code inputs}: a graph
     * node when an input requires a gradient, and the output's tangent at each active
     * forward-mode level. Returns {@code out}.
     */
    static Tensor record(String op, Tensor out, Rule rule, Tensor... inputs) {
        Trace trace = current();
        if (trace.recording()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs, rule);
                    break;
                }
            }
        }
        if (!trace.activeLevels.isEmpty()) {
            trace.propagateTangents(op, out, rule, inputs);
        }
        if (checkNumerics) {
            checkFinite(trace, op, out, inputs);
        }
        return out;
    }

    /**
     * Computes the output tangent level by level, lowest first, so that the rule of a
     * higher level sees the lower levels' tangents on its operands (nested forward mode
     * without perturbation confusion).
     */
    private void propagateTangents(String op, Tensor out, Rule rule, Tensor[] inputs) {
        int level = 0;
        while ((level = nextTangentLevel(inputs, level)) != 0) {
            Tensor[] tangents = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                tangents[i] = inputs[i].tangent(level);
            }
            int savedCeiling = tangentCeiling;
            tangentCeiling = level;
            Tensor t;
            try {
                t = rule.jvp(tangents);
            } finally {
                tangentCeiling = savedCeiling;
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

    /** Opens a forward-mode level for one {@link AD#jvp} call. */
    int enterLevel() {
        int level = nextLevel++;
        activeLevels.add(level);
        return level;
    }

    void exitLevel(int level) {
        activeLevels.rem(level);
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
        int i = firstNonFinite(out.data);
        if (i >= 0) {
            StringBuilder shapes = new StringBuilder();
            for (Tensor in : inputs) {
                shapes.append(shapes.isEmpty() ? "" : ", ").append(Shapes.str(in.shape));
            }
            String where = trace.backwardOf == null ? "" : " (in the backward pass of '" + trace.backwardOf + "')";
            throw new ArithmeticException("'" + op + "'" + where + " produced " + out.data[i] + " at flat index " + i
                    + " of an output of shape " + Shapes.str(out.shape) + " from inputs of shape " + shapes);
        }
    }

    /**
     * When the check is on, fails if the cotangent a backward rule of {@code op} gave its input
     * number {@code input} is not finite. Fused rules compute without recording, so their
     * results are checked here rather than in {@link #record}.
     */
    static void checkFiniteCotangent(String op, int input, Tensor cotangent) {
        int i = checkNumerics ? firstNonFinite(cotangent.data) : -1;
        if (i >= 0) {
            throw new ArithmeticException("the backward pass of '" + op + "' produced " + cotangent.data[i]
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
