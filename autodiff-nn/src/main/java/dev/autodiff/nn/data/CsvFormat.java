package dev.autodiff.nn.data;

/**
 * How {@link CsvReader} reads a numeric CSV file: the cell separator, whether the first
 * line is a header to skip, and which column holds the label or target (0-based; negative
 * counts from the end, so -1, the default, is the last column).
 *
 * @param delimiter the character between cells
 * @param header whether the first line names the columns and is skipped
 * @param labelColumn the column of the label or target; the other columns are the features
 */
public record CsvFormat(char delimiter, boolean header, int labelColumn) {
    /** Comma-separated, no header, label in the last column. */
    public static final CsvFormat DEFAULT = new CsvFormat(',', false, -1);

    /** Checks that the delimiter is not part of a number or a space. */
    public CsvFormat {
        if (Character.isLetterOrDigit(delimiter) || delimiter == '.' || delimiter == '-' || delimiter == '+'
                || delimiter == ' ' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("CsvFormat: '" + delimiter + "' cannot separate numeric cells");
        }
    }

    /** This format with another delimiter (for example ';' or a tab). */
    public CsvFormat withDelimiter(char newDelimiter) {
        return new CsvFormat(newDelimiter, header, labelColumn);
    }

    /** This format with or without a header line. */
    public CsvFormat withHeader(boolean hasHeader) {
        return new CsvFormat(delimiter, hasHeader, labelColumn);
    }

    /** This format with the label or target in another column. */
    public CsvFormat withLabelColumn(int column) {
        return new CsvFormat(delimiter, header, column);
    }
}
