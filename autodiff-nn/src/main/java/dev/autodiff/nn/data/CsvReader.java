package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.FileFormatException;
import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Reads a numeric CSV file, plain or gzip-compressed, into a {@link TensorDataset}: one
 * example per non-blank line, every column but the label column a float feature. A cell
 * that is not a finite number, or a line with a different number of cells than the first,
 * gets a {@link FileFormatException} naming the file, the line and the column (1-based).
 */
public final class CsvReader {
    private CsvReader() {}

    /** Some editors start UTF-8 files with U+FEFF; it is not part of the first cell. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    /** A classification dataset: features {@code [N, columns - 1]} and the label column as non-negative integer labels. */
    public static TensorDataset readLabeled(Path file, CsvFormat format) throws IOException {
        return readLabeledLines(file, format).data();
    }

    /**
     * A labeled file and the line each example came from, so that checks made later (such as
     * of the labels) can name the line.
     *
     * @param file the file read
     * @param data the examples, as {@link #readLabeled} returns them
     * @param lines the 1-based line of each example
     */
    public record Lines(Path file, TensorDataset data, long[] lines) {
        /** Where example {@code example} came from: {@code file: line N}. */
        public String where(int example) {
            return file + ": line " + lines[example];
        }
    }

    /** As {@link #readLabeled}, with the line of each example. */
    public static Lines readLabeledLines(Path file, CsvFormat format) throws IOException {
        Table table = read(file, format, true);
        int[] labels = new int[table.targets.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) table.targets.getFloat(i);
        }
        return new Lines(file, TensorDataset.withLabels(table.features(), labels), table.lines.toLongArray());
    }

    /** A regression dataset: features {@code [N, columns - 1]} and the label column as float targets {@code [N, 1]}. */
    public static TensorDataset readTargets(Path file, CsvFormat format) throws IOException {
        Table table = read(file, format, false);
        return TensorDataset.withTargets(table.features(), Tensor.of(table.targets.toFloatArray(), table.targets.size(), 1));
    }

    /** The cells of a file: features row by row and the label column. */
    private record Table(FloatArrayList values, FloatArrayList targets, LongArrayList lines, int featureCount) {
        Tensor features() {
            return Tensor.zeros(targets.size(), featureCount)
                    .writeInPlace(features -> values.getElements(0, features, 0, values.size()));
        }
    }

    private static Table read(Path file, CsvFormat format, boolean integerLabels) throws IOException {
        FloatArrayList values = new FloatArrayList();
        FloatArrayList targets = new FloatArrayList();
        LongArrayList lines = new LongArrayList();
        int columns = -1;
        int labelColumn = -1;
        long firstRow = 0;
        Pattern separator = Pattern.compile(Pattern.quote(String.valueOf(format.delimiter())));
        try (CompressedInput input = CompressedInput.open(file);
             BufferedReader reader = new BufferedReader(new InputStreamReader(input.stream(), StandardCharsets.UTF_8))) {
            long lineNumber = 0;
            String line;
            while ((line = readLine(reader, file, lineNumber)) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith(BYTE_ORDER_MARK)) {
                    line = line.substring(1);
                }
                if ((format.header() && lineNumber == 1) || line.isBlank()) {
                    continue;
                }
                // Limit -1 keeps trailing empty cells, so that "1,2," has three cells and the last is reported empty.
                String[] cells = separator.split(line, -1);
                if (columns < 0) {
                    columns = cells.length;
                    firstRow = lineNumber;
                    labelColumn = format.labelColumn() < 0 ? columns + format.labelColumn() : format.labelColumn();
                    if (labelColumn < 0 || labelColumn >= columns) {
                        throw new FileFormatException(file, lineNumber, 1, "label column " + format.labelColumn()
                                + " is out of range for a line of " + columns + " columns");
                    }
                } else if (cells.length != columns) {
                    throw new FileFormatException(file, lineNumber, Math.min(cells.length, columns) + 1, "line has "
                            + cells.length + " columns, but line " + firstRow + " has " + columns);
                }
                lines.add(lineNumber);
                for (int c = 0; c < columns; c++) {
                    float value = number(file, lineNumber, c, cells[c]);
                    if (c != labelColumn) {
                        values.add(value);
                    } else if (integerLabels && (value != Math.rint(value) || value < 0 || value >= 0x1p31f)) {
                        throw new FileFormatException(file, lineNumber, c + 1, "label \"" + cells[c].strip()
                                + "\" is not a non-negative integer");
                    } else {
                        targets.add(value);
                    }
                }
            }
        }
        if (columns < 0) {
            throw new FileFormatException(file, "no data lines");
        }
        return new Table(values, targets, lines, columns - 1);
    }

    private static String readLine(BufferedReader reader, Path file, long linesRead) throws IOException {
        try {
            return reader.readLine();
        } catch (ZipException | EOFException e) {
            throw new FileFormatException(file, linesRead + 1, 1, "corrupt or truncated gzip data: "
                    + CompressedInput.problem(e));
        }
    }

    /** A finite number in plain decimal notation (Java's float syntax would also take "1f", hex and "NaN"). */
    private static float number(Path file, long line, int column, String cell) throws FileFormatException {
        String text = cell.strip();
        if (text.isEmpty()) {
            throw new FileFormatException(file, line, column + 1, "empty cell");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw new FileFormatException(file, line, column + 1, "cell \"" + text + "\" is not a number");
            }
        }
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new FileFormatException(file, line, column + 1, "cell \"" + text + "\" is not a number");
        }
        if (!Float.isFinite(value)) {
            throw new FileFormatException(file, line, column + 1, "cell \"" + text + "\" is outside the float range");
        }
        return value;
    }
}
