package dev.autodiff.nn.optim;

/**
 * A learning rate as a function of the number of scheduler steps taken, in closed form,
 * matching the sequences of PyTorch's {@code torch.optim.lr_scheduler} classes. Drive one
 * with an {@link LrScheduler}.
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate after {@code epoch} scheduler steps, for an optimizer whose initial rate is {@code baseLr}. */
    double lr(double baseLr, long epoch);

    /** The base rate at every step: no schedule. */
    static LrSchedule constant() {
        return (base, epoch) -> base;
    }

    /** {@code StepLR}: multiplies by {@code gamma} every {@code stepSize} steps. */
    static LrSchedule step(int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("LrSchedule.step: step size must be positive, got " + stepSize);
        }
        return (base, epoch) -> base * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }

    /** {@code ExponentialLR}: multiplies by {@code gamma} every step. */
    static LrSchedule exponential(double gamma) {
        return (base, epoch) -> base * Math.pow(gamma, epoch);
    }

    /** {@code CosineAnnealingLR}: {@code etaMin + (base - etaMin)·(1 + cos(π·t/tMax))/2}. */
    static LrSchedule cosine(int tMax, double etaMin) {
        if (tMax <= 0) {
            throw new IllegalArgumentException("LrSchedule.cosine: T_max must be positive, got " + tMax);
        }
        return (base, epoch) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    /**
     * {@code LinearLR}: the factor of the base rate moves linearly from {@code startFactor}
     * to {@code endFactor} over {@code totalIters} steps, then stays (a linear warm-up when
     * {@code endFactor} is 1).
     */
    static LrSchedule linear(double startFactor, double endFactor, int totalIters) {
        if (totalIters <= 0 || !(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LrSchedule.linear: need 0 < start factor <= 1, 0 <= end factor <= 1 and "
                    + "total iterations > 0, got " + startFactor + ", " + endFactor + ", " + totalIters);
        }
        return (base, epoch) -> base * (startFactor
                + (endFactor - startFactor) * Math.min(epoch, totalIters) / totalIters);
    }

    /** {@code SequentialLR}: this schedule before step {@code milestone}, then {@code next} restarted at 0. */
    default LrSchedule then(long milestone, LrSchedule next) {
        return (base, epoch) -> epoch < milestone ? lr(base, epoch) : next.lr(base, epoch - milestone);
    }

    /** Linear warm-up from {@code startFactor} over {@code warmupSteps}, then cosine annealing to {@code etaMin} until {@code totalSteps}. */
    static LrSchedule warmupCosine(int warmupSteps, int totalSteps, double startFactor, double etaMin) {
        return linear(startFactor, 1, warmupSteps).then(warmupSteps, cosine(totalSteps - warmupSteps, etaMin));
    }
}
