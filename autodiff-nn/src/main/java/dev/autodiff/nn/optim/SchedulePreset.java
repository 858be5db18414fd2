package dev.autodiff.nn.optim;

import dev.autodiff.nn.Labeled;

/**
 * Learning-rate schedules for a run of a given number of epochs, by name, for a
 * configuration that chooses one: each gives the {@link LrSchedule} that an
 * {@link LrScheduler} stepped once per epoch follows.
 *
 * <pre>{@code
 * var scheduler = new LrScheduler(optimizer, SchedulePreset.fromLabel("warmup-cosine").forEpochs(20));
 * }</pre>
 */
public enum SchedulePreset implements Labeled {
    /** The rate stays as set: a trainer may as well step no scheduler. */
    NONE("none"),
    /** {@code StepLR}: times 0.1 every third of the run, {@code max(1, epochs / 3)} epochs. */
    STEP("step"),
    /** {@code CosineAnnealingLR}: from the rate set down to 0 at the end of the run. */
    COSINE("cosine"),
    /**
     * A linear warm-up from a tenth of the rate over a tenth of the run,
     * {@code w = max(1, epochs / 10)} epochs, then cosine annealing to 0 at the end of the
     * run; a run of one epoch (where {@code w} is the whole run) only warms up.
     */
    WARMUP_COSINE("warmup-cosine");

    private final String label;

    SchedulePreset(String label) {
        this.label = label;
    }

    /** The spelling: {@code none}, {@code step}, {@code cosine}, {@code warmup-cosine}. */
    @Override
    public String label() {
        return label;
    }

    /** The schedule of a run of {@code epochs} epochs (positive), one scheduler step per epoch. */
    public LrSchedule forEpochs(int epochs) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("SchedulePreset." + name() + ": the number of epochs must be positive, got "
                    + epochs);
        }
        return switch (this) {
            case NONE -> LrSchedule.constant();
            case STEP -> LrSchedule.step(Math.max(1, epochs / 3), 0.1);
            case COSINE -> LrSchedule.cosine(epochs, 0);
            case WARMUP_COSINE -> {
                int warmup = Math.max(1, epochs / 10);
                yield warmup < epochs ? LrSchedule.warmupCosine(warmup, epochs, 0.1, 0) : LrSchedule.linear(0.1, 1, warmup);
            }
        };
    }

    /** The preset spelled {@code label}; an {@link IllegalArgumentException} lists the labels otherwise. */
    public static SchedulePreset fromLabel(String label) {
        return Labeled.parse(SchedulePreset.class, "schedule", label);
    }
}
