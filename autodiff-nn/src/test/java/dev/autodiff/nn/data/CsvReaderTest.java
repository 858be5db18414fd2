package dev.autodiff.nn.data;

import dev.autodiff.nn.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsFeaturesAndTheLastColumnAsLabels() throws IOException {
        Path file = write("plain.csv", "1,2.5,0\n-3e2, 4 ,2\n\n0.125,+6,1\n");
        TensorDataset data = CsvReader.readLabeled(file, CsvFormat.DEFAULT);
        assertArrayEquals(new int[] {3, 2}, data.features().shape());
        assertArrayEquals(new float[] {1, 2.5f, -300, 4, 0.125f, 6}, data.features().toArray());
        assertArrayEquals(new int[] {0, 2, 1}, data.labels());
        assertEquals(3, data.classCount());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstCellAndLinesAreKept() throws IOException {
        Path file = write("bom.csv", "\uFEFF1,2,0\n\n3,4,1\n");
        CsvReader.Lines read = CsvReader.readLabeledLines(file, CsvFormat.DEFAULT);
        assertArrayEquals(new float[] {1, 2, 3, 4}, read.data().features().toArray());
        assertArrayEquals(new long[] {1, 3}, read.lines());
        assertEquals(file + ": line 3", read.where(1));
        Path header = write("bomheader.csv", "\uFEFFa,b,label\n1,2,0\n");
        assertArrayEquals(new int[] {0}, CsvReader.readLabeled(header, CsvFormat.DEFAULT.withHeader(true)).labels());
    }

    @Test
    void readsGzipWithAHeaderAndAChosenLabelColumn() throws IOException {
        Path file = dir.resolve("data.csv.gz");
        Files.write(file, IdxReaderTest.gzip("label;a;b\n4;1;2\n5.0;3;4\n".getBytes(StandardCharsets.UTF_8)));
        TensorDataset data = CsvReader.readLabeled(file, CsvFormat.DEFAULT.withDelimiter(';').withHeader(true).withLabelColumn(0));
        assertArrayEquals(new float[] {1, 2, 3, 4}, data.features().toArray());
        assertArrayEquals(new int[] {4, 5}, data.labels());
    }

    @Test
    void readsFloatTargetsAsAColumn() throws IOException {
        Path file = write("regression.csv", "x,y,target\n1,2,0.5\n3,4,-1.25\n");
        TensorDataset data = CsvReader.readTargets(file, CsvFormat.DEFAULT.withHeader(true));
        assertArrayEquals(new int[] {2, 1}, data.targets().shape());
        assertArrayEquals(new float[] {0.5f, -1.25f}, data.targets().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, data.features().toArray());
    }

    // ----------------------------------------------------------------- bad input

    @Test
    void rejectsMalformedCellsNamingLineAndColumn() throws IOException {
        Path text = write("text.csv", "1,2,0\n1,abc,1\n");
        expectRejected(text, text + ": line 2, column 2: cell \"abc\" is not a number");
        Path doubleDot = write("dots.csv", "1,2,0\n1,2,0\n1.2.3,2,1\n");
        expectRejected(doubleDot, doubleDot + ": line 3, column 1: cell \"1.2.3\" is not a number");
        Path empty = write("empty.csv", "1,,0\n");
        expectRejected(empty, empty + ": line 1, column 2: empty cell");
        Path nan = write("nan.csv", "NaN,1,0\n");
        expectRejected(nan, nan + ": line 1, column 1: cell \"NaN\" is not a number");
        Path huge = write("huge.csv", "1e39,1,0\n");
        expectRejected(huge, huge + ": line 1, column 1: cell \"1e39\" is outside the float range");
        Path label = write("label.csv", "1,2,0\n1,2,2.5\n");
        expectRejected(label, label + ": line 2, column 3: label \"2.5\" is not a non-negative integer");
    }

    @Test
    void rejectsRaggedRows() throws IOException {
        Path fewer = write("fewer.csv", "h1,h2,h3\n1,2,0\n3,4,1\n5,6\n");
        expectRejected(fewer, CsvFormat.DEFAULT.withHeader(true), fewer + ": line 4, column 3: line has 2 columns, but line 2 has 3");
        Path more = write("more.csv", "1,2,0\n3,4,1,9\n");
        expectRejected(more, more + ": line 2, column 4: line has 4 columns, but line 1 has 3");
    }

    @Test
    void rejectsALabelColumnOutOfRangeAndAFileWithoutData() throws IOException {
        Path file = write("two.csv", "1,0\n");
        expectRejected(file, CsvFormat.DEFAULT.withLabelColumn(2),
                file + ": line 1, column 1: label column 2 is out of range for a line of 2 columns");
        Path blank = write("blank.csv", "a,b\n\n");
        expectRejected(blank, CsvFormat.DEFAULT.withHeader(true), blank + ": no data lines");
    }

    private static void expectRejected(Path file, String message) {
        expectRejected(file, CsvFormat.DEFAULT, message);
    }

    private static void expectRejected(Path file, CsvFormat format, String message) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> CsvReader.readLabeled(file, format));
        assertEquals(message, e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
