package dev.autodiff.examples.data;

import dev.autodiff.nn.data.DatasetSplit;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitsTest {

    @Test
    void embeddedDataSetHasTheUciCounts() {
        DigitsFormat.Images images = Digits.images();
        assertEquals(1797, images.count());
        assertEquals(64, images.pixelsPerImage());
        int[] perClass = new int[10];
        for (int label : images.labels()) {
            perClass[label]++;
        }
        // The class sizes of the UCI test part, as scikit-learn's load_digits reports them.
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, perClass);
        // The first line of digits.csv.gz: a zero.
        byte[] first = Arrays.copyOf(images.pixels(), 16);
        assertArrayEquals(new byte[] {0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0}, first);
        assertEquals(0, images.labels()[0]);
    }

    @Test
    void splitIsSeededEightyTwenty() {
        DatasetSplit a = Digits.split(42);
        DatasetSplit b = Digits.split(42);
        DatasetSplit c = Digits.split(43);
        assertEquals(359, a.validation().size());
        assertEquals(1438, a.train().size());
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertArrayEquals(a.validation().features().toArray(), b.validation().features().toArray());
        assertNotEquals(Arrays.toString(a.validation().labels()), Arrays.toString(c.validation().labels()));
        float max = 0;
        for (float v : a.train().features().toArray()) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void csvConvertsAndRoundTrips() throws IOException {
        String row = "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,7\n";
        DigitsFormat.Images parsed = DigitsFormat.parseCsv(gzip(row + row), "t.csv.gz");
        assertEquals(2, parsed.count());
        assertEquals(7, parsed.labels()[1]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DigitsFormat.write(parsed, out);
        DigitsFormat.Images back = DigitsFormat.read(new ByteArrayInputStream(out.toByteArray()), "t.bin.gz");
        assertArrayEquals(parsed.pixels(), back.pixels());
        assertArrayEquals(parsed.labels(), back.labels());
    }

    @Test
    void badCsvNamesLineAndColumn() {
        var e = assertThrows(IOException.class, () -> DigitsFormat.parseCsv(gzip("1,2,x\n"), "d.csv.gz"));
        assertEquals("d.csv.gz: line 1: 3 values, expected 65", e.getMessage());
    }

    @Test
    void corruptFilesNameTheByteOffset() throws IOException {
        byte[] valid = encode(new byte[] {1, 2, 3, 4}, new int[] {1});
        byte[] raw = gunzip(valid);

        raw[0] = 'X';
        var magic = assertThrows(IOException.class, () -> DigitsFormat.read(gzipBytes(raw), "f"));
        assertTrue(magic.getMessage().startsWith("f: byte 0: not a digits file"), magic.getMessage());

        byte[] truncated = Arrays.copyOf(gunzip(valid), 13);
        var eof = assertThrows(IOException.class, () -> DigitsFormat.read(gzipBytes(truncated), "f"));
        assertEquals("f: byte 11: the file ends before the 1 samples its header announces", eof.getMessage());

        byte[] badPixel = gunzip(valid);
        badPixel[11 + 2] = 17;
        var pixel = assertThrows(IOException.class, () -> DigitsFormat.read(gzipBytes(badPixel), "f"));
        assertEquals("f: byte 13: pixel value 17 of sample 0 is outside 0..16", pixel.getMessage());

        byte[] badLabel = gunzip(valid);
        badLabel[15] = 3;
        var label = assertThrows(IOException.class, () -> DigitsFormat.read(gzipBytes(badLabel), "f"));
        assertEquals("f: byte 15: label 3 of sample 0 is not below the class count 2", label.getMessage());

        byte[] trailing = Arrays.copyOf(gunzip(valid), 17);
        var extra = assertThrows(IOException.class, () -> DigitsFormat.read(gzipBytes(trailing), "f"));
        assertEquals("f: byte 16: unexpected data after the 1 samples", extra.getMessage());
    }

    /** One 2x2 image in 2 classes. */
    private static byte[] encode(byte[] pixels, int[] labels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DigitsFormat.write(new DigitsFormat.Images(pixels, labels, 2, 2, 2), out);
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        return new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
    }

    private static InputStream gzipBytes(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static InputStream gzip(String text) throws IOException {
        return gzipBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
