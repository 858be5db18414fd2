package dev.autodiff.nn.optim;

import java.util.Map;

/**
 * A learning-rate scheduler whose state a checkpoint saves and restores, as a PyTorch
 * scheduler's {@code state_dict()}: {@link LrScheduler} (the rate of a closed-form
 * schedule, step by step) and {@link ReduceLROnPlateau} (the rate cut when a metric stops
 * improving). The state holds what changes as training goes on; the configuration
 * (schedule, patience, ...) is the code's, given again when the scheduler is rebuilt.
 */
public interface Scheduler {

    /** The kind of scheduler, recorded with its state so that a state is restored into its own kind. */
    String kind();

    /** What changes as training goes on, by name, as numbers. */
    Map<String, Double> stateDict();

    /**
     * Restores a {@link #stateDict()} of a scheduler of the same kind and configuration, and
     * sets the optimizer's learning rates it implies.
     */
    void loadStateDict(Map<String, Double> state);
}
