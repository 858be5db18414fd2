package dev.autodiff.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets an optimizer's learning rates from an {@link LrSchedule}, as a PyTorch scheduler:
 * each parameter group's rate follows the schedule from the rate the group had when the
 * scheduler was built (its {@code initial_lr}); construction applies the rates for step 0,
 * and each {@link #step()} (usually once per epoch, after the optimizer's steps) moves to
 * the next. Its state, for a checkpoint, is the step and the base rates.
 */
public final class LrScheduler implements Scheduler {
    private static final String EPOCH_KEY = "last_epoch";
    private static final String BASE_KEY = "base_lrs.";

    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final double[] baseLrs;
    private long epoch;

    /** Drives {@code optimizer}, whose groups' current learning rates become the base rates. */
    public LrScheduler(Optimizer optimizer, LrSchedule schedule) {
        this.optimizer = optimizer;
        this.schedule = schedule;
        List<ParamGroup> groups = optimizer.paramGroups();
        this.baseLrs = new double[groups.size()];
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = groups.get(g).learningRate();
        }
        apply();
    }

    /** The base rate of the first group ({@code initial_lr} in PyTorch): every parameter's, with one group. */
    public double baseLr() {
        return baseLrs[0];
    }

    /** Advances one step and updates the optimizer's learning rates. */
    public void step() {
        epoch++;
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < baseLrs.length; g++) {
            groups.get(g).setLearningRate(schedule.lr(baseLrs[g], epoch));
        }
    }

    /** The number of steps taken ({@code last_epoch} in PyTorch). */
    public long epoch() {
        return epoch;
    }

    /** The learning rate set for the current step, of the first group. */
    public double learningRate() {
        return optimizer.learningRate();
    }

    @Override
    public String kind() {
        return "LrScheduler";
    }

    /** {@code last_epoch} and each group's base rate, {@code base_lrs.0}, {@code base_lrs.1}, ... */
    @Override
    public Map<String, Double> stateDict() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(EPOCH_KEY, (double) epoch);
        for (int g = 0; g < baseLrs.length; g++) {
            out.put(BASE_KEY + g, baseLrs[g]);
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Double> state) {
        Double savedEpoch = state.get(EPOCH_KEY);
        double[] bases = new double[baseLrs.length];
        for (int g = 0; g < bases.length; g++) {
            Double base = state.get(BASE_KEY + g);
            if (base == null) {
                throw new IllegalArgumentException("LrScheduler.loadStateDict: the state has no " + BASE_KEY + g
                        + " for parameter group " + g + " (its optimizer had fewer groups?)");
            }
            bases[g] = base;
        }
        if (savedEpoch == null || savedEpoch < 0 || savedEpoch != Math.rint(savedEpoch)
                || state.containsKey(BASE_KEY + bases.length)) {
            throw new IllegalArgumentException("LrScheduler.loadStateDict: not the state of a scheduler of "
                    + bases.length + " parameter groups: " + state);
        }
        System.arraycopy(bases, 0, baseLrs, 0, bases.length);
        epoch = savedEpoch.longValue();
        apply();
    }
}
