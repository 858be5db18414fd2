package dev.autodiff.spark;

/**
 * Called on the driver after each training epoch, for example to evaluate the model on
 * held-out data or to stop watching a long run; its time is not counted in the epoch's
 * seconds. Set it with {@link MlpClassifier#setEpochListener}.
 */
@FunctionalInterface
public interface EpochListener {
    /**
     * @param report what the epoch did
     * @param model the model as it stands after the epoch (a copy that further training does not change)
     */
    void afterEpoch(EpochReport report, MlpClassificationModel model);
}
