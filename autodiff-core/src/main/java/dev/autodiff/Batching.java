package dev.autodiff;

import java.util.Arrays;

/**
 * The machinery of {@link AD#vmap}: each primitive's batching rule runs the primitive
 * once on the physical tensors that hold every example (see {@link Batched}), here
 * through {@link #apply}; the rules themselves stand next to each primitive's forward,
 * VJP and JVP.
 *
 * <p>As in functorch, every batched tensor keeps its batch axis in front of its logical
 * shape, so that a rule only shifts the axes it names by one. As in JAX, each vmap call
 * has a level, and an op on tensors of several levels is batched at the innermost one
 * (the highest), whose physical computation then meets the outer levels' tensors as
 * ordinary operands. Nothing here loops over the examples, except for a {@link CustomOp}
 * that has no batching rule of its own ({@link #perExample}).
 */
final class Batching {
    private Batching() {}

    /** The physical computation of one batched primitive. */
    @FunctionalInterface
    interface Rule {
        /**
         * The result for every example: with the batch axis in front when
         * {@link Frame#anyMapped()}, else the shared value.
         */
        Tensor apply(Frame f);
    }

    /** The operands of one batched primitive, seen at the innermost vmap level among them. */
    static final class Frame {
        private final int size;
        private final Tensor[] physical;
        private final boolean[] mapped;
        private final boolean anyMapped;

        private Frame(int size, Tensor[] physical, boolean[] mapped, boolean anyMapped) {
            this.size = size;
            this.physical = physical;
            this.mapped = mapped;
            this.anyMapped = anyMapped;
        }

        /** The batch size of this vmap level. */
        int size() {
            return size;
        }

        /** Whether some operand differs by example, so that the result has a batch axis. */
        boolean anyMapped() {
            return anyMapped;
        }

        /** Whether operand {@code i} has the batch axis in front. */
        boolean mapped(int i) {
            return mapped[i];
        }

        /** Operand {@code i} as stored: with the batch axis in front when {@link #mapped}, else its shared value. */
        Tensor x(int i) {
            return physical[i];
        }

        /** Where a logical axis of operand {@code i} is in {@link #x}. */
        int axis(int i, int axis) {
            return mapped[i] ? axis + 1 : axis;
        }

        /** {@link #axis} for several axes. */
        int[] axes(int i, int[] axes) {
            if (!mapped[i]) {
                return axes;
            }
            int[] out = new int[axes.length];
            for (int k = 0; k < axes.length; k++) {
                out[k] = axes[k] + 1;
            }
            return out;
        }

        /** A logical shape of operand {@code i}'s result as stored: the batch size in front when mapped. */
        int[] shape(int i, int[] logical) {
            return mapped[i] ? withFront(size, logical) : logical;
        }

        /**
         * Operand {@code i} with the batch axis in front when any operand has one: an
         * unmapped operand is broadcast to every example. For ops whose operands must all
         * have the same layout (concatenation, fused kernels).
         */
        Tensor expanded(int i) {
            Tensor x = physical[i];
            return anyMapped && !mapped[i] ? x.broadcastTo(withFront(size, x.shape)) : x;
        }

        /**
         * Operand {@code i} ready to broadcast NumPy-style against others whose logical
         * rank is at most {@code rank}: a mapped operand gets ones between its batch axis
         * and its logical shape up to that rank, so that the batch axes line up and the
         * logical axes align from the right. An unmapped operand is already aligned.
         */
        Tensor aligned(int i, int rank) {
            Tensor x = physical[i];
            int logicalRank = x.rank() - 1;
            if (!mapped[i] || logicalRank == rank) {
                return x;
            }
            int[] shape = new int[rank + 1];
            Arrays.fill(shape, 1);
            shape[0] = size;
            System.arraycopy(x.shape, 1, shape, rank + 1 - logicalRank, logicalRank);
            return x.reshape(shape);
        }
    }

    /** Whether {@code x} is batched by a vmap call. */
    static boolean any(Tensor x) {
        return x.batched != null;
    }

    /** Whether either is batched by a vmap call. */
    static boolean any(Tensor a, Tensor b) {
        return a.batched != null || b.batched != null;
    }

    /** Whether any is batched by a vmap call. */
    static boolean any(Tensor... xs) {
        for (Tensor x : xs) {
            if (x.batched != null) {
                return true;
            }
        }
        return false;
    }

    /** The vmap level {@code x} is batched at, or 0. */
    static int levelOf(Tensor x) {
        return x.batched == null ? 0 : x.batched.level();
    }

    /** {@link #apply(String, Tensor[], Rule)} for one operand. */
    static Tensor apply(String op, Tensor x, Rule rule) {
        return apply(op, new Tensor[] {x}, rule);
    }

    /**
     * Runs a batching rule: finds the innermost vmap level among the operands, hands the
     * rule their physical tensors (tensors not batched at that level are passed as they
     * are, shared by every example), and wraps the rule's result as a tensor batched at
     * that level. The rule runs below that level: only the transforms outside the vmap
     * see its operations, and the caller records the logical op for those inside.
     */
    static Tensor apply(String op, Tensor[] inputs, Rule rule) {
        int level = 0;
        int size = 0;
        for (Tensor in : inputs) {
            if (in.batched != null && in.batched.level() > level) {
                level = in.batched.level();
                size = in.batched.size();
            }
        }
        if (!Trace.current().vmapActive(level)) {
            throw escaped(op);
        }
        Tensor[] physical = new Tensor[inputs.length];
        boolean[] mapped = new boolean[inputs.length];
        boolean anyMapped = false;
        for (int i = 0; i < inputs.length; i++) {
            Batched b = inputs[i].batched;
            boolean atLevel = b != null && b.level() == level;
            physical[i] = atLevel ? b.physical() : inputs[i];
            mapped[i] = atLevel && b.mapped();
            anyMapped |= mapped[i];
        }
        Tensor out;
        try (var _ = Trace.physicalBelow(level)) {
            out = rule.apply(new Frame(size, physical, mapped, anyMapped));
        }
        if (anyMapped && (out.rank() == 0 || out.shape[0] != size)) {
            throw new IllegalStateException(op + ": batching rule gave shape " + Shapes.str(out.shape)
                    + " for a batch of " + size);
        }
        return wrap(level, size, out, anyMapped);
    }

    /** A tensor batched at {@code level} whose values are {@code physical}. */
    static Tensor wrap(int level, int size, Tensor physical, boolean mapped) {
        int[] shape = mapped ? Arrays.copyOfRange(physical.shape, 1, physical.shape.length) : physical.shape;
        Tensor t = mapped ? new Tensor((float[]) null, shape) : physical.view(shape);
        t.batched = new Batched(level, size, physical, mapped);
        return t;
    }

    private static IllegalStateException escaped(String op) {
        return new IllegalStateException(op + ": a tensor batched by vmap is used after its vmap call returned "
                + "(kept in a field or a variable outside the function); return it from the vmapped function instead");
    }

    // ----------------------------------------------------------------- entering and leaving a vmap

    /**
     * {@code x} as a tensor of the innermost vmap level, shared by every example: what a
     * transform called inside a vmap differentiates with respect to. Its gradient then
     * belongs to that level (one per example), not to the transforms outside, which still
     * see {@code x} itself. Tangents of levels inside the vmap stay with it.
     */
    static Tensor atInnermostLevel(Tensor x) {
        Trace trace = Trace.current();
        int level = trace.innermostVmapLevel();
        if (level == 0 || levelOf(x) == level) {
            return x;
        }
        Tensor t = wrap(level, trace.innermostVmapSize(), x, false);
        int l = level;
        while ((l = x.lowestTangentLevelAbove(l)) != 0) {
            t.setTangent(l, x.tangent(l));
        }
        return t;
    }

    /**
     * {@link AD#vmap}: checks the axes and batch sizes, runs {@code f} once at a new vmap
     * level on the arguments batched along their in-axes, and returns its results with
     * the batch axis at their out-axes ({@code null}: all in front).
     */
    static Tensor[] call(String op, AD.MultiFn f, Integer[] inAxes, int[] outAxes, Tensor[] args) {
        Integer[] axes = inAxes.length == 0 ? zeros(args.length) : inAxes;
        if (axes.length != args.length) {
            throw new IllegalArgumentException(op + ": " + axes.length + " in-axes for " + args.length + " arguments");
        }
        int size = -1;
        int first = -1;
        int[] normalized = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            if (axes[i] == null) {
                continue;
            }
            normalized[i] = inAxis(op, args[i], i, axes[i]);
            int n = args[i].shape[normalized[i]];
            if (size < 0) {
                size = n;
                first = i;
            } else if (n != size) {
                throw new IllegalArgumentException(op + ": argument " + first + " has " + size + " examples along axis "
                        + axes[first] + " (shape " + Shapes.str(args[first].shape) + ") but argument " + i + " has " + n
                        + " along axis " + axes[i] + " (shape " + Shapes.str(args[i].shape) + ")");
            }
        }
        if (size < 0) {
            throw new IllegalArgumentException(op + ": every in-axis is null, so no argument is mapped; give at least "
                    + "one argument an axis to map over");
        }
        Tensor[] results;
        int level;
        try (Trace.Scope scope = Trace.vmapLevel(size)) {
            level = scope.level();
            Tensor[] inputs = new Tensor[args.length];
            for (int i = 0; i < args.length; i++) {
                inputs[i] = axes[i] == null ? args[i] : enter(args[i], normalized[i], level, size);
            }
            results = f.apply(inputs);
        }
        if (outAxes != null && outAxes.length != results.length) {
            throw new IllegalArgumentException(op + ": " + outAxes.length + " out-axes for " + results.length + " results");
        }
        Tensor[] out = new Tensor[results.length];
        for (int i = 0; i < results.length; i++) {
            out[i] = leave(op, results[i], level, size, outAxes == null ? 0 : outAxes[i], i);
        }
        return out;
    }

    private static Integer[] zeros(int n) {
        Integer[] axes = new Integer[n];
        Arrays.fill(axes, 0);
        return axes;
    }

    /** In-axis {@code axis} of argument {@code i}, checked and made non-negative. */
    private static int inAxis(String op, Tensor x, int i, int axis) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": argument " + i + " is a scalar, which has no axis " + axis
                    + " to map over; give it the in-axis null to share it");
        }
        if (axis < -x.rank() || axis >= x.rank()) {
            throw new IllegalArgumentException(op + ": in-axis " + axis + " of argument " + i
                    + " is out of range for its shape " + Shapes.str(x.shape));
        }
        return axis < 0 ? axis + x.rank() : axis;
    }

    /** Argument {@code x} with the batch axis {@code axis} moved to the front, batched at {@code level}. */
    private static Tensor enter(Tensor x, int axis, int level, int size) {
        return wrap(level, size, axis == 0 ? x : x.permute(toFront(x.rank(), axis)), true);
    }

    /** The physical tensor of result {@code output} of the function, with the batch axis moved to {@code axis}. */
    private static Tensor leave(String op, Tensor y, int level, int size, int axis, int output) {
        if (levelOf(y) > level) {
            throw escaped(op);
        }
        int rank = y.rank() + 1;
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(op + ": out-axis " + axis + " of result " + output
                    + " is out of range for its shape " + Shapes.str(y.shape) + " with a batch axis");
        }
        Tensor stacked;
        if (levelOf(y) == level && y.batched.mapped()) {
            stacked = y.batched.physical();
        } else {
            // The same for every example: broadcast, as JAX does for an unbatched result.
            Tensor shared = levelOf(y) == level ? y.batched.physical() : y;
            stacked = shared.broadcastTo(withFront(size, shared.shape));
        }
        int a = axis < 0 ? axis + rank : axis;
        return a == 0 ? stacked : stacked.permute(fromFront(rank, a));
    }

    private static int[] toFront(int rank, int axis) {
        int[] perm = new int[rank];
        perm[0] = axis;
        for (int d = 0, k = 1; d < rank; d++) {
            if (d != axis) {
                perm[k++] = d;
            }
        }
        return perm;
    }

    private static int[] fromFront(int rank, int axis) {
        int[] perm = new int[rank];
        for (int d = 0, k = 1; d < rank; d++) {
            perm[d] = d == axis ? 0 : k++;
        }
        return perm;
    }

    static int[] withFront(int first, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = first;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    // ----------------------------------------------------------------- what has no batching rule of its own

    /**
     * The batching rule of last resort, for a {@link CustomOp} that gives none: applies
     * {@code op} to each example's slice of the operands and stacks the results. Correct
     * under every transform, since each application is an ordinary recorded op; B times
     * the calls of a real rule.
     */
    static Tensor perExample(Frame f, java.util.function.Function<Tensor[], Tensor> op, Tensor[] logical) {
        int n = f.physical.length;
        if (!f.anyMapped()) {
            return op.apply(f.physical.clone());
        }
        Tensor[] results = new Tensor[f.size()];
        for (int b = 0; b < f.size(); b++) {
            Tensor[] example = new Tensor[n];
            for (int i = 0; i < n; i++) {
                example[i] = f.mapped(i) ? f.x(i).slice(0, b, b + 1).reshape(logical[i].shape) : f.x(i);
            }
            results[b] = op.apply(example);
        }
        if (results.length == 0) {
            // No example to run: the result's shape comes from running the op on zeros.
            Tensor[] zeros = new Tensor[n];
            for (int i = 0; i < n; i++) {
                zeros[i] = Tensor.zeros(logical[i].shape);
            }
            return Tensor.zeros(withFront(0, op.apply(zeros).shape));
        }
        return Tensor.stack(0, results);
    }

    /**
     * An in-place update of a batched {@code target} (or of an unbatched one from batched
     * operands): applied to the physical tensors, with operands shared by every example
     * broadcast over the batch. Writing a value that differs by example into a tensor
     * shared by all of them is an error, as in PyTorch's vmap.
     */
    static void inPlace(String op, Tensor target, Tensor[] operands, java.util.function.BiConsumer<Tensor, Tensor[]> update) {
        int level = levelOf(target);
        for (Tensor x : operands) {
            level = Math.max(level, levelOf(x));
        }
        if (!Trace.current().vmapActive(level)) {
            throw escaped(op);
        }
        boolean targetAtLevel = levelOf(target) == level;
        boolean targetMapped = targetAtLevel && target.batched.mapped();
        Tensor physicalTarget = targetAtLevel ? target.batched.physical() : target;
        Tensor[] physical = new Tensor[operands.length];
        for (int i = 0; i < operands.length; i++) {
            Tensor x = operands[i];
            boolean atLevel = levelOf(x) == level;
            if (atLevel && x.batched.mapped() && !targetMapped) {
                throw new IllegalArgumentException(op + ": cannot write a value that differs by example (vmap, operand of "
                        + "shape " + Shapes.str(x.shape) + ") into a tensor of shape " + Shapes.str(target.shape)
                        + " shared by every example; compute a new tensor instead");
            }
            Tensor p = atLevel ? x.batched.physical() : x;
            physical[i] = targetMapped && !(atLevel && x.batched.mapped()) ? p.broadcastTo(physicalTarget.shape) : p;
        }
        try (var _ = Trace.physicalBelow(level)) {
            update.accept(physicalTarget, physical);
        }
        if (targetAtLevel) {
            target.written(); // the physical tensor counted the write; so does the one the function sees
        }
    }

    /** The message for reading or writing the array of values of a tensor that has one per example. */
    static IllegalStateException noSingleValue(String op, Tensor x) {
        return new IllegalStateException(op + ": this tensor is batched by vmap (" + x.batched.size()
                + " examples of shape " + Shapes.str(x.shape) + "), so it has no single array of values; return it "
                + "from the vmapped function to get them stacked");
    }
}
