package dev.autodiff.examples.cli;

/**
 * A generous estimate of the heap a training run needs beyond its data set, checked before
 * the model is built so that a model too large for the heap fails at once with the size
 * it needs: per parameter its value, its gradient, up to three optimizer buffers, a
 * weight-decay scratch array and the copies a checkpoint makes; per example of a batch the
 * activations, their gradients and the temporaries of each op.
 */
final class RunMemory {
    private RunMemory() {}

    /** Floats per parameter: value, gradient, three optimizer buffers, scratch, and checkpoint copies of four. */
    private static final long FLOATS_PER_PARAMETER = 10;
    /** Floats per activation of one example in a training step (outputs, gradients, temporaries). */
    private static final long FLOATS_PER_ACTIVATION = 8;

    /** The bytes a run of {@code run}'s model, optimizer and batch size needs. */
    static long bytes(RunOptions run) {
        Architecture a = run.architecture();
        long perExample = a.inputs() + a.activationWidth();
        long rows = Math.max(run.batch(), Trainer.EVAL_BATCH);
        return Float.BYTES * (FLOATS_PER_PARAMETER * a.parameterCount() + FLOATS_PER_ACTIVATION * rows * perExample);
    }
}
