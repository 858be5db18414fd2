package dev.autodiff.nn.optim;

/**
 * Sets an optimizer's learning rate from an {@link LrSchedule}, as a PyTorch scheduler:
 * construction applies the rate for step 0, and each {@link #step()} (usually once per
 * epoch, after the optimizer's steps) moves to the next.
 */
public final class LrScheduler {
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final double baseLr;
    private long epoch;

    /** Drives {@code optimizer}, whose current learning rate becomes the base rate. */
    public LrScheduler(Optimizer optimizer, LrSchedule schedule) {
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.baseLr = optimizer.learningRate();
        optimizer.setLearningRate(schedule.lr(baseLr, 0));
    }

    /** Advances one step and updates the optimizer's learning rate. */
    public void step() {
        epoch++;
        optimizer.setLearningRate(schedule.lr(baseLr, epoch));
    }

    /** The number of steps taken ({@code last_epoch} in PyTorch). */
    public long epoch() {
        return epoch;
    }

    /** The learning rate set for the current step. */
    public double learningRate() {
        return optimizer.learningRate();
    }
}
