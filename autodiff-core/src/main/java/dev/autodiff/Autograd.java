package dev.autodiff;

import it.unimi.dsi.fastutil.Hash;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenCustomHashMap;
import it.unimi.dsi.fastutil.objects.ObjectOpenCustomHashSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reverse mode: walks the recorded graph once in reverse topological order, turning
 * each output cotangent into input cotangents with the nodes' rules and summing them
 * where a value fans out. The walk is iterative, so chains of any length are fine.
 */
final class Autograd {
    private Autograd() {}

    /**
     * Tensors and gradient arrays are told apart by identity. fastutil-core has no
     * reference-keyed collections; its custom-hash ones with this strategy are the same thing.
     */
    private static final Hash.Strategy<Object> IDENTITY = new Hash.Strategy<>() {
        @Override
        public int hashCode(Object o) {
            return System.identityHashCode(o);
        }

        @Override
        public boolean equals(Object a, Object b) {
            return a == b;
        }
    };

    /**
     * {@link Tensor#backward}: accumulates into every leaf that requires a gradient. A pass
     * that creates no graph recycles: the cotangents it makes come from the {@link Arena} and
     * go back to it at the end, and so do the arrays of the graph's inner tensors when the
     * graph is freed (the root's excepted).
     */
    static void backward(Tensor root, Tensor cotangent, boolean keepGraph, boolean createGraph) {
        if (Batching.any(root, cotangent)) {
            throw new IllegalStateException("backward: inside vmap a loss has a value per example, and leaves' grad() "
                    + "has none; call AD.grad or AD.vjp inside the vmapped function for gradients per example, or "
                    + "backward() on a loss computed from the vmapped function's result");
        }
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: this tensor does not require a gradient (no input of the ops that "
                    + "made it was marked requiresGrad(), or they ran under noGrad)");
        }
        checkCotangent("backward", root, cotangent);
        List<Tensor> order = topologicalOrder(new Tensor[] {root}, Set.of());
        boolean recycle = !createGraph;
        List<Tensor> made = recycle ? new ArrayList<>() : null;
        try (Trace.Scope pass = Trace.backwardPass(createGraph, !createGraph, recycle)) {
            var cotangents = propagate(pass, order, new Tensor[] {root}, new Tensor[] {cotangent}, null, Set.of(), made);
            // A cotangent can reach two leaves as one array ((a + b).sum() gives both the same),
            // or be the caller's own: as in PyTorch, no gradient aliases another or the caller's tensor.
            // One from the arena is copied, as its array goes back.
            Set<float[]> handedOut = new ObjectOpenCustomHashSet<>(IDENTITY);
            handedOut.add(cotangent.data());
            for (var entry : cotangents.object2ObjectEntrySet()) {
                if (entry.getKey().isLeaf()) {
                    Tensor g = entry.getValue();
                    GradientStore store = entry.getKey().gradientStore();
                    if (recycle && g.lease != null) {
                        store.addCopy(g);
                    } else {
                        store.add(handedOut.add(g.data()) ? g : Movement.copy(g), createGraph);
                    }
                }
            }
            Arena arena = Trace.current().arena();
            if (!keepGraph) {
                for (Tensor t : order) {
                    if (t.node != null) {
                        Tensor saved = t.node.saved();
                        if (saved != null) {
                            arena.release(saved);
                        }
                        t.node.release();
                        if (t.lease != root.lease) {
                            arena.release(t);
                        }
                    }
                }
            }
            if (recycle) {
                int number = Trace.current().recyclingPass();
                for (Tensor g : made) {
                    if (g.lease != null && g.lease.pass == number) {
                        arena.release(g);
                    }
                }
                arena.forgetUnused();
            }
        }
    }

    /**
     * Lets a rule add the cotangent of {@code input} straight into its gradient, without a
     * temporary, when {@code input} is a leaf of a backward pass that creates no graph and
     * no tangent flows through {@code operands}. Returns false when the rule must return
     * the cotangent instead.
     */
    static boolean writeLeafGradient(Tensor input, GradientStore.Writer writer, Tensor... operands) {
        if (!Trace.current().writingLeafGradients() || !input.isLeaf() || !input.requiresGrad
                || Trace.differentiating(operands)) {
            return false;
        }
        input.gradientStore().addInPlace(writer);
        return true;
    }

    /**
     * The cotangents of {@code inputs} given cotangents of {@code outputs}, without touching
     * any {@code grad()} and without freeing the graph; inputs the outputs do not depend on
     * get null. The walk stops at the inputs and visits only nodes that lead to them.
     */
    static Tensor[] gradients(Tensor[] outputs, Tensor[] cotangents, Tensor[] inputs, boolean createGraph) {
        for (int i = 0; i < outputs.length; i++) {
            checkCotangent("gradients", outputs[i], cotangents[i]);
        }
        Set<Tensor> targets = new ObjectOpenCustomHashSet<>(inputs, IDENTITY);
        List<Tensor> order = topologicalOrder(outputs, targets);
        // Only tensors that depend on a target need a cotangent.
        Set<Tensor> dependsOnTarget = new ObjectOpenCustomHashSet<>(targets, IDENTITY);
        for (Tensor t : order) {
            if (t.node != null && !targets.contains(t)) {
                for (Tensor in : t.node.inputs()) {
                    if (dependsOnTarget.contains(in)) {
                        dependsOnTarget.add(t);
                        break;
                    }
                }
            }
        }
        try (Trace.Scope pass = Trace.backwardPass(createGraph, false, false)) {
            var result = propagate(pass, order, outputs, cotangents, dependsOnTarget, targets, null);
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                grads[i] = result.get(inputs[i]);
            }
            return grads;
        }
    }

    private static void checkCotangent(String op, Tensor output, Tensor cotangent) {
        if (!Arrays.equals(output.shape, cotangent.shape)) {
            throw new IllegalArgumentException(op + ": cotangent of shape " + Shapes.str(cotangent.shape)
                    + " for an output of shape " + Shapes.str(output.shape));
        }
    }

    /**
     * Every tensor requiring a gradient that the roots depend on, inputs before outputs,
     * by an iterative depth-first search that does not descend below {@code stops}.
     */
    private static List<Tensor> topologicalOrder(Tensor[] roots, Set<Tensor> stops) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = new ObjectOpenCustomHashSet<>(IDENTITY);
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextInput = new ArrayDeque<>();
        for (Tensor root : roots) {
            if (!root.requiresGrad || !visited.add(root)) {
                continue;
            }
            stack.push(root);
            nextInput.push(0);
            while (!stack.isEmpty()) {
                Tensor t = stack.peek();
                int i = nextInput.pop();
                Tensor[] inputs = t.node == null || stops.contains(t) ? new Tensor[0] : t.node.inputs();
                while (i < inputs.length && (!inputs[i].requiresGrad || visited.contains(inputs[i]))) {
                    i++;
                }
                if (i < inputs.length) {
                    nextInput.push(i + 1);
                    visited.add(inputs[i]);
                    stack.push(inputs[i]);
                    nextInput.push(0);
                } else {
                    order.add(stack.pop());
                }
            }
        }
        return order;
    }

    /**
     * Runs the rules of {@code order} from the last to the first, in the backward pass
     * {@code pass}, and returns the cotangents left for the tensors the walk stops at. Rules
     * may add leaf cotangents straight into the gradients instead, when the pass lets them
     * ({@link #writeLeafGradient}). Every cotangent a rule gives, and every sum of two, is
     * added to {@code made} when it is not null.
     */
    private static Object2ObjectOpenCustomHashMap<Tensor, Tensor> propagate(Trace.Scope pass, List<Tensor> order,
            Tensor[] roots, Tensor[] rootCotangents, Set<Tensor> relevant, Set<Tensor> targets, List<Tensor> made) {
        var cotangents = new Object2ObjectOpenCustomHashMap<Tensor, Tensor>(IDENTITY);
        for (int i = 0; i < roots.length; i++) {
            cotangents.merge(roots[i], rootCotangents[i], Tensor::add);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor g = cotangents.get(t);
            boolean irrelevant = relevant != null && !relevant.contains(t);
            if (g == null || t.node == null || irrelevant || targets.contains(t)) {
                continue;
            }
            pass.runningRuleOf(t.node.op);
            t.node.checkUnchanged(t);
            Tensor[] inputs = t.node.inputs();
            Tensor[] grads = t.node.rule().vjp(g);
            for (int j = 0; j < inputs.length; j++) {
                Tensor in = inputs[j];
                if (grads[j] == null || !in.requiresGrad || (relevant != null && !relevant.contains(in))) {
                    continue;
                }
                if (!Arrays.equals(grads[j].shape, in.shape)) {
                    throw new IllegalStateException(t.node.op + ": VJP rule gave a cotangent of shape "
                            + Shapes.str(grads[j].shape) + " for input " + j + " of shape " + Shapes.str(in.shape));
                }
                Trace.checkFiniteCotangent(t.node.op, j, grads[j]);
                Tensor before = cotangents.get(in);
                Tensor sum = before == null ? grads[j] : before.add(grads[j]);
                cotangents.put(in, sum);
                if (made != null) {
                    made.add(grads[j]);
                    if (sum != grads[j]) {
                        made.add(sum);
                    }
                }
            }
            cotangents.remove(t);
        }
        return cotangents;
    }
}
