package dev.autodiff.examples.cli;

import picocli.CommandLine.Option;

/** The options that choose a data set, shared by {@code train} and {@code eval}. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "<name>",
            description = "digits (embedded; the default of train), fashion-mnist (/usr/share/datasets/fashion-mnist), mnist "
                    + "(/usr/share/datasets/mnist), idx:<folder> or csv:<file>")
    String dataset;

    @Option(names = "--label-column", paramLabel = "<n>", defaultValue = "-1",
            description = "for csv: the label's column, 0-based; negative counts from the end (default: ${DEFAULT-VALUE})")
    int labelColumn;

    @Option(names = "--csv-header", description = "for csv: the first line names the columns")
    boolean csvHeader;

    /** How a CSV data set is read. */
    DataSource.CsvOptions csvOptions() {
        return new DataSource.CsvOptions(labelColumn, csvHeader);
    }
}
