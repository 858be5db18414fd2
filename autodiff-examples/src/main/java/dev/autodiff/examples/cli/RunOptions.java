package dev.autodiff.examples.cli;

import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.SchedulePreset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every option that defines a training run: the data set (and how its CSV file is read), the
 * architecture, the optimizer with its hyper-parameters, the learning-rate schedule and the
 * epochs it spans, the batch size and the seed. A checkpoint stores them, so that
 * {@code --resume} continues exactly the run that was saved and can tell an option that
 * conflicts with it.
 *
 * @param momentum the momentum, NaN for an optimizer that has none
 * @param weightDecay the weight decay, NaN for an optimizer that has none
 */
record RunOptions(String dataset, DataSource.CsvOptions csv, Architecture architecture, OptimizerKind optimizer,
                  double lr, double momentum, double weightDecay, SchedulePreset schedule, int epochs, int batch,
                  long seed) {

    /** Whether {@code optimizer} has the hyper-parameter (its PyTorch name, such as {@code momentum}). */
    static boolean declares(OptimizerKind optimizer, String hyperParameter) {
        return optimizer.spec().declares(hyperParameter);
    }

    /** Whether the data set is read from a CSV file, so that the CSV options matter. */
    boolean isCsv() {
        return dataset.startsWith("csv:");
    }

    /** The same run with another total of epochs (a resumed run trained further). */
    RunOptions withEpochs(int newEpochs) {
        return new RunOptions(dataset, csv, architecture, optimizer, lr, momentum, weightDecay, schedule, newEpochs, batch,
                seed);
    }

    /** The metadata entries that record these options in a checkpoint. */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>(architecture.metadata());
        m.put("dataset", dataset);
        if (isCsv()) {
            m.put("data.label_column", Integer.toString(csv.labelColumn()));
            m.put("data.csv_header", Boolean.toString(csv.header()));
        }
        m.put("seed", Long.toString(seed));
        m.put("optimizer.name", optimizer.label());
        m.put("train.lr", Double.toString(lr));
        if (declares(optimizer, OptimizerHelp.MOMENTUM)) {
            m.put("train.momentum", Double.toString(momentum));
        }
        if (declares(optimizer, OptimizerHelp.WEIGHT_DECAY)) {
            m.put("train.weight_decay", Double.toString(weightDecay));
        }
        m.put("train.schedule", schedule.label());
        m.put("train.epochs", Integer.toString(epochs));
        m.put("train.batch", Integer.toString(batch));
        return m;
    }

    /** The options a checkpoint's metadata records, each checked as the command line checks it. */
    static RunOptions fromMetadata(StoredOptions stored) {
        String dataset = stored.dataset();
        DataSource.CsvOptions csv = new DataSource.CsvOptions(stored.integerOr("data.label_column", -1),
                stored.booleanOr("data.csv_header", false));
        Architecture architecture = Architecture.fromMetadata(stored);
        OptimizerKind optimizer = stored.choice(OptimizerKind.class, "optimizer.name");
        double lr = stored.finite("train.lr");
        if (!(lr > 0)) {
            throw stored.invalid("train.lr", "a positive finite number");
        }
        return new RunOptions(dataset, csv, architecture, optimizer, lr,
                hyperParameter(stored, optimizer, OptimizerHelp.MOMENTUM),
                hyperParameter(stored, optimizer, OptimizerHelp.WEIGHT_DECAY),
                stored.choice(SchedulePreset.class, "train.schedule"), stored.integer("train.epochs", 1),
                stored.integer("train.batch", 1), stored.longInteger("seed"));
    }

    /** The metadata value {@code train.<name>} of a hyper-parameter the optimizer has, checked; else NaN. */
    private static double hyperParameter(StoredOptions stored, OptimizerKind optimizer, String name) {
        if (!declares(optimizer, name)) {
            return Double.NaN;
        }
        String key = "train." + name;
        double value = stored.finite(key);
        try {
            optimizer.spec().check(name, value);
        } catch (IllegalArgumentException e) {
            throw stored.unusable("optimizer", e);
        }
        if (name.equals(OptimizerHelp.MOMENTUM)) {
            requireMomentumBelowOne(value, stored.source() + ": metadata " + key);
        }
        return value;
    }

    /** A momentum of 1 or more makes the steps grow without bound; {@code what} names where the value came from. */
    static void requireMomentumBelowOne(double momentum, String what) {
        if (momentum >= 1) {
            throw new IllegalArgumentException(what + " must be below 1 (the steps would grow without bound), got "
                    + momentum);
        }
    }

    /**
     * An identifier of the run, derived from its options alone (a hash), so that two runs with
     * the same options and seed write byte-identical checkpoints; both files of every save of
     * the run carry it. Without a schedule the total of epochs does not change what an epoch
     * does, so it is left out: a run of 10 epochs and one of 5 resumed to 10 are the same run.
     */
    String runId() {
        TreeMap<String, String> defining = new TreeMap<>(metadata());
        if (schedule == SchedulePreset.NONE) {
            defining.remove("train.epochs");
        }
        StringBuilder text = new StringBuilder();
        defining.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
