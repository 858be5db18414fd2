package dev.autodiff.spark;

import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;

import java.util.Locale;

/** The per-epoch learning-rate schedules, spelled as the {@code schedule} param and the CLI's {@code --schedule}. */
enum Schedule implements Labeled {
    NONE, STEP, COSINE, WARMUP_COSINE;

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A scheduler stepped once per epoch over {@code epochs} epochs, or null for a constant
     * rate: step multiplies by 0.1 every third of the run, cosine anneals to 0, warmup-cosine
     * first rises linearly from a tenth over a tenth of the run.
     */
    LrScheduler scheduler(Optimizer optimizer, int epochs) {
        LrSchedule s = switch (this) {
            case NONE -> null;
            case STEP -> LrSchedule.step(Math.max(1, epochs / 3), 0.1);
            case COSINE -> LrSchedule.cosine(epochs, 0);
            case WARMUP_COSINE -> {
                int warmup = Math.max(1, epochs / 10);
                yield warmup < epochs ? LrSchedule.warmupCosine(warmup, epochs, 0.1, 0) : LrSchedule.linear(0.1, 1, warmup);
            }
        };
        return s == null ? null : new LrScheduler(optimizer, s);
    }
}
