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

    /** The options recorded in checkpoint metadata; {@code source} names the file in errors. */
    static RunOptions fromMetadata(Map<String, String> m, String source) {
        try {
            String dataset = Architecture.require(m, "dataset", source);
            DataSource.CsvOptions csv = new DataSource.CsvOptions(
                    Integer.parseInt(m.getOrDefault("data.label_column", "-1")),
                    Boolean.parseBoolean(m.getOrDefault("data.csv_header", "false")));
            OptimizerKind optimizer = Choice.parse(OptimizerKind.class,
                    Architecture.require(m, "optimizer.name", source));
            return new RunOptions(dataset, csv, Architecture.fromMetadata(m, source), optimizer,
                    Double.parseDouble(Architecture.require(m, "train.lr", source)),
                    hyperParameter(m, optimizer, OptimizerHelp.MOMENTUM, source),
                    hyperParameter(m, optimizer, OptimizerHelp.WEIGHT_DECAY, source),
                    Choice.parse(SchedulePreset.class, Architecture.require(m, "train.schedule", source)),
                    Integer.parseInt(Architecture.require(m, "train.epochs", source)),
                    Integer.parseInt(Architecture.require(m, "train.batch", source)),
                    Long.parseLong(Architecture.require(m, "seed", source)));
        } catch (NumberFormatException | picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException(source + ": bad run description in the metadata: " + e.getMessage());
        }
    }

    /** The metadata value {@code train.<name>} of a hyper-parameter the optimizer has, else NaN. */
    private static double hyperParameter(Map<String, String> m, OptimizerKind optimizer, String name,
                                         String source) {
        return declares(optimizer, name) ? Double.parseDouble(Architecture.require(m, "train." + name, source))
                : Double.NaN;
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
