package dev.autodiff.examples.cli;

import picocli.CommandLine.Option;

import java.io.IOException;

/** The options that choose a data set, shared by {@code train} and {@code eval}. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "<name>",
            description = "digits (embedded, the default), fashion-mnist (/usr/share/datasets/fashion-mnist), mnist "
                    + "(/usr/share/datasets/mnist), idx:<folder> or csv:<file>")
    String dataset;

    @Option(names = "--label-column", paramLabel = "<n>", defaultValue = "-1",
            description = "for csv: the label's column, 0-based; negative counts from the end (default: ${DEFAULT-VALUE})")
    int labelColumn;

    @Option(names = "--csv-header", description = "for csv: the first line names the columns")
    boolean csvHeader;

    /** Loads the named data set, or {@code fallback} when none was named. */
    DataSource.Loaded load(String fallback, long seed) throws IOException {
        return DataSource.load(dataset != null ? dataset : fallback,
                new DataSource.CsvOptions(labelColumn, csvHeader), seed);
    }
}
