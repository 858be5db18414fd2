package dev.autodiff;

/**
 * The record of how a tensor was computed: the primitive's name, its inputs, its
 * derivative rule and the {@linkplain Tensor#version() versions} of its inputs and output
 * when it ran, which its rule may have saved. Released after a backward pass unless the
 * graph is kept.
 */
final class Node {
    final String op;
    private Tensor[] inputs;
    private Rule rule;
    /** The versions of the inputs, then of the output, when the op ran; null when all were 0 (the common case). */
    private final int[] versions;

    Node(String op, Tensor[] inputs, Rule rule, Tensor output) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
        this.versions = versionsOf(inputs, output);
    }

    private static int[] versionsOf(Tensor[] inputs, Tensor output) {
        boolean allZero = output.version() == 0;
        for (Tensor in : inputs) {
            allZero &= in.version() == 0;
        }
        if (allZero) {
            return null;
        }
        int[] v = new int[inputs.length + 1];
        for (int i = 0; i < inputs.length; i++) {
            v[i] = inputs[i].version();
        }
        v[inputs.length] = output.version();
        return v;
    }

    /**
     * Fails when an input or the output of this op was written in place after the op ran:
     * its rule would compute the gradient from the new values, silently wrong.
     */
    void checkUnchanged(Tensor output) {
        Tensor[] in = inputs();
        for (int i = 0; i <= in.length; i++) {
            Tensor t = i < in.length ? in[i] : output;
            int then = versions == null ? 0 : versions[i];
            if (t.version() != then) {
                throw new IllegalStateException("backward: " + (i < in.length ? "input " + i : "the output") + " of '"
                        + op + "', a tensor of shape " + Shapes.str(t.shape) + ", was changed in place after '" + op
                        + "' used it (it is at version " + t.version() + ", the graph holds version " + then
                        + "), so the gradient would be computed from the new values; change it after backward(), "
                        + "or run the forward pass again after the change");
            }
        }
    }

    Tensor[] inputs() {
        checkNotReleased();
        return inputs;
    }

    Rule rule() {
        checkNotReleased();
        return rule;
    }

    boolean released() {
        return rule == null;
    }

    /** The tensor the rule saved beside the inputs and output ({@link Rule#saved()}), or null once released. */
    Tensor saved() {
        return rule == null ? null : rule.saved();
    }

    /** Drops the inputs and the saved values so that the memory can be reclaimed. */
    void release() {
        inputs = null;
        rule = null;
    }

    private void checkNotReleased() {
        if (rule == null) {
            throw new IllegalStateException("backward: the graph through '" + op + "' was already freed by an earlier "
                    + "backward pass; call backward(cotangent, true, false) the first time to keep it");
        }
    }
}
