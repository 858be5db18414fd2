package dev.autodiff.examples.cli;

/** A training step whose loss is not a finite number: the run stops there, before it saves anything from it. */
final class TrainingDivergedException extends RuntimeException {
    TrainingDivergedException(int epoch, int step, double loss, double lr) {
        super(String.format("training diverged: the loss is %s at step %d of epoch %d; try a smaller --lr (it is %s)",
                loss, step, epoch, lr));
    }
}
