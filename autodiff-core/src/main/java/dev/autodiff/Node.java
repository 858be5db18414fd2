package dev.autodiff;

/**
 * The record of how a tensor was computed: the primitive's name, its inputs and its
 * derivative rule. Released after a backward pass unless the graph is kept.
 */
final class Node {
    final String op;
    private Tensor[] inputs;
    private Rule rule;

    Node(String op, Tensor[] inputs, Rule rule) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
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
