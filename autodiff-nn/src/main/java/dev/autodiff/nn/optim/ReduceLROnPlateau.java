package dev.autodiff.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the learning rates when a metric stops improving, with exactly
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}'s rule: after each epoch,
 * {@link #step(double)} gets the metric (a validation loss, say); once it has not improved
 * on the best one for more than {@code patience} epochs, every group's rate becomes
 * {@code max(lr·factor, minLr)} (unless that changes it by no more than {@code eps}), and
 * {@code cooldown} epochs pass before bad epochs count again. Improving means, in mode
 * {@code MIN}, below {@code best·(1 − threshold)} (relative threshold) or
 * {@code best − threshold} (absolute), and the mirror image in mode {@code MAX}.
 *
 * <pre>{@code
 * var plateau = new ReduceLROnPlateau(optimizer).factor(0.5).patience(2);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(...);
 *     plateau.step(validationLoss());
 * }
 * }</pre>
 *
 * Defaults are PyTorch's: mode {@code MIN}, factor 0.1, patience 10, relative threshold
 * 1e-4, cooldown 0, minimum rate 0, eps 1e-8. Its state, for a checkpoint, is the best
 * metric, the bad epochs, the cooldown left and the epoch count.
 */
public final class ReduceLROnPlateau implements Scheduler {

    /** Whether the metric improves by falling (a loss) or by rising (an accuracy). */
    public enum Mode { MIN, MAX }

    /** Whether the threshold is a fraction of the best metric or an amount. */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private Mode mode = Mode.MIN;
    private double factor = 0.1;
    private int patience = 10;
    private double threshold = 1e-4;
    private ThresholdMode thresholdMode = ThresholdMode.REL;
    private int cooldown;
    private double[] minLrs;
    private double eps = 1e-8;

    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownLeft;
    private long epoch;

    /** Watches a metric for {@code optimizer}, with PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.minLrs = new double[optimizer.paramGroups().size()];
    }

    /** Whether the metric improves by falling ({@code MIN}, the default) or by rising; returns this. */
    public ReduceLROnPlateau mode(Mode mode) {
        this.mode = mode;
        best = worst();
        return this;
    }

    /** The factor each cut multiplies the rates by, in (0, 1); returns this. */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must lie in (0, 1), got " + factor);
        }
        this.factor = factor;
        return this;
    }

    /** How many epochs without improvement are tolerated before a cut; returns this. */
    public ReduceLROnPlateau patience(int patience) {
        this.patience = requireNonNegative("patience", patience);
        return this;
    }

    /** How much better than the best a metric must be to count as an improvement; returns this. */
    public ReduceLROnPlateau threshold(double threshold, ThresholdMode thresholdMode) {
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold must be 0 or more, got " + threshold);
        }
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        return this;
    }

    /** How many epochs after a cut pass before bad epochs count again; returns this. */
    public ReduceLROnPlateau cooldown(int cooldown) {
        this.cooldown = requireNonNegative("cooldown", cooldown);
        return this;
    }

    /** The lowest rate of every group, or one per group; returns this. */
    public ReduceLROnPlateau minLr(double... minLr) {
        int groups = optimizer.paramGroups().size();
        if (minLr.length != 1 && minLr.length != groups) {
            throw new IllegalArgumentException("ReduceLROnPlateau: " + minLr.length + " minimum rates for " + groups
                    + " parameter groups; give one, or one per group");
        }
        double[] lows = new double[groups];
        for (int g = 0; g < groups; g++) {
            lows[g] = minLr[minLr.length == 1 ? 0 : g];
            if (!(lows[g] >= 0)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: minimum rate must be 0 or more, got " + lows[g]);
            }
        }
        this.minLrs = lows;
        return this;
    }

    /** The smallest change of a rate that a cut makes; smaller ones are skipped; returns this. */
    public ReduceLROnPlateau eps(double eps) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: eps must be 0 or more, got " + eps);
        }
        this.eps = eps;
        return this;
    }

    private static int requireNonNegative(String what, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: " + what + " must be 0 or more, got " + value);
        }
        return value;
    }

    /** Counts an epoch whose metric is {@code metric}, and cuts the rates when it is time. */
    public void step(double metric) {
        if (Double.isNaN(metric)) {
            throw new IllegalArgumentException("ReduceLROnPlateau.step: the metric is NaN");
        }
        epoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            reduce();
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    private boolean isBetter(double metric) {
        return switch (mode) {
            case MIN -> metric < (thresholdMode == ThresholdMode.REL ? best * (1 - threshold) : best - threshold);
            case MAX -> metric > (thresholdMode == ThresholdMode.REL ? best * (1 + threshold) : best + threshold);
        };
    }

    private void reduce() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int g = 0; g < groups.size(); g++) {
            double old = groups.get(g).learningRate();
            double cut = Math.max(old * factor, minLrs[g]);
            if (old - cut > eps) {
                groups.get(g).setLearningRate(cut);
            }
        }
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The best metric so far (infinite before the first step). */
    public double best() {
        return best;
    }

    /** The epochs since the best metric, not counting those of a cooldown. */
    public int badEpochs() {
        return badEpochs;
    }

    @Override
    public String kind() {
        return "ReduceLROnPlateau";
    }

    /** {@code best}, {@code num_bad_epochs}, {@code cooldown_counter} and {@code last_epoch}, PyTorch's names. */
    @Override
    public Map<String, Double> stateDict() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("best", best);
        out.put("num_bad_epochs", (double) badEpochs);
        out.put("cooldown_counter", (double) cooldownLeft);
        out.put("last_epoch", (double) epoch);
        return out;
    }

    /** Restores the counters; the rates themselves are the optimizer's state. */
    @Override
    public void loadStateDict(Map<String, Double> state) {
        Double savedBest = state.get("best");
        int bad = count(state, "num_bad_epochs");
        int left = count(state, "cooldown_counter");
        long savedEpoch = count(state, "last_epoch");
        if (savedBest == null || savedBest.isNaN()) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: no best metric in " + state);
        }
        best = savedBest;
        badEpochs = bad;
        cooldownLeft = left;
        epoch = savedEpoch;
    }

    private static int count(Map<String, Double> state, String key) {
        Double v = state.get(key);
        if (v == null || v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: " + key + " is " + v
                    + ", not a count, in " + state);
        }
        return v.intValue();
    }
}
