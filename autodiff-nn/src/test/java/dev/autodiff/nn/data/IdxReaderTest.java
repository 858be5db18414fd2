package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Two 2x3 images with pixels 0, 51, 102, ..., 255 and beyond (wrapping as unsigned bytes). */
    private static final byte[] PIXELS = {0, 51, 102, (byte) 153, (byte) 204, (byte) 255, 1, 2, 3, 4, 5, (byte) 128};

    @Test
    void readsRawImagesAsUnsignedBytes() throws IOException {
        Path file = write("images", idx(0x08, new int[] {2, 2, 3}, PIXELS));
        Tensor images = IdxReader.readImages(file, false);
        assertArrayEquals(new int[] {2, 2, 3}, images.shape());
        assertArrayEquals(new float[] {0, 51, 102, 153, 204, 255, 1, 2, 3, 4, 5, 128}, images.toArray());
    }

    @Test
    void readsGzipImagesScaledToTheUnitInterval() throws IOException {
        Path file = write("images.gz", gzip(idx(0x08, new int[] {2, 2, 3}, PIXELS)));
        Tensor images = IdxReader.readImages(file, true);
        assertArrayEquals(new float[] {0, 0.2f, 0.4f, 0.6f, 0.8f, 1f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f, 128 / 255f},
                images.toArray(), 1e-7f);
    }

    @Test
    void readsLabels() throws IOException {
        Path file = write("labels", gzip(idx(0x08, new int[] {4}, new byte[] {7, 0, 9, (byte) 200})));
        assertArrayEquals(new int[] {7, 0, 9, 200}, IdxReader.readLabels(file));
    }

    @Test
    void loadsAFolderWithTheStandardNamesRawOrGzip() throws IOException {
        write("train-images-idx3-ubyte.gz", gzip(idx(0x08, new int[] {2, 2, 3}, PIXELS)));
        write("train-labels-idx1-ubyte", idx(0x08, new int[] {2}, new byte[] {3, 1}));
        write("t10k-images-idx3-ubyte", idx(0x08, new int[] {1, 1, 2}, new byte[] {10, 20}));
        write("t10k-labels-idx1-ubyte.gz", gzip(idx(0x08, new int[] {1}, new byte[] {5})));

        TensorDataset train = IdxFolder.train(dir, false);
        assertArrayEquals(new int[] {2, 2, 3}, train.features().shape());
        assertArrayEquals(new int[] {3, 1}, train.labels());
        TensorDataset test = IdxFolder.test(dir, true);
        assertArrayEquals(new float[] {10 / 255f, 20 / 255f}, test.features().toArray());
        assertArrayEquals(new int[] {5}, test.labels());
    }

    // ----------------------------------------------------------------- bad input

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        Path file = write("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        expectRejected(() -> IdxReader.readImages(file, false),
                file + ": at byte 0: not an IDX file: magic number 0x89504e47 does not start with two zero bytes");
    }

    @Test
    void rejectsOtherDataTypesAndRanks() throws IOException {
        Path floats = write("floats", idx(0x0D, new int[] {1, 1, 1}, new byte[4]));
        expectRejected(() -> IdxReader.readImages(floats, false),
                floats + ": at byte 2: IDX data type 0x0d (float) is not supported; images must be unsigned bytes (0x08)");
        Path labels = write("labels", idx(0x08, new int[] {2}, new byte[2]));
        expectRejected(() -> IdxReader.readImages(labels, false),
                labels + ": at byte 3: IDX rank 1 (magic number 0x00000801), but images have rank 3 (magic number 0x00000803)");
    }

    @Test
    void rejectsTruncatedDataWithTheOffsetWhereTheFileEnds() throws IOException {
        Path raw = write("short", Arrays.copyOf(idx(0x08, new int[] {2, 2, 3}, PIXELS), 16 + 7));
        expectRejected(() -> IdxReader.readImages(raw, false),
                raw + ": at byte 23: file is truncated: it ends after 7 of the 12 bytes of the data");
        Path gzip = write("short.gz", gzip(Arrays.copyOf(idx(0x08, new int[] {3}, new byte[3]), 6)));
        expectRejected(() -> IdxReader.readLabels(gzip),
                gzip + ": at byte 6 of the decompressed data: file is truncated: it ends after 2 of the 4 bytes of dimension 0");
    }

    @Test
    void rejectsDataBeyondWhatTheDimensionsCallFor() throws IOException {
        Path file = write("long", idx(0x08, new int[] {2}, new byte[] {1, 2, 3}));
        expectRejected(() -> IdxReader.readLabels(file),
                file + ": at byte 10: unexpected data after the 2 bytes that the dimensions [2] call for (header of 8 bytes)");
    }

    @Test
    void rejectsAHugeClaimedSizeByTruncationNotByMemory() throws IOException {
        Path file = write("huge", idx(0x08, new int[] {60000, 28, 28}, new byte[100]));
        expectRejected(() -> IdxReader.readImages(file, false),
                file + ": at byte 116: file is truncated: it ends after 100 of the 47040000 bytes of the data");
    }

    @Test
    void aGzipHeaderThatClaimsMoreThanTheFileCanHoldIsRejectedBeforeReading() throws IOException {
        Path file = write("claims.gz", gzip(idx(0x08, new int[] {2_000_000, 28, 28}, new byte[784])));
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxReader.readImageBytes(file));
        assertTrue(e.getMessage().startsWith(file + ": at byte 4 of the decompressed data: dimensions [2000000, 28, 28] call "
                + "for 1568000000 bytes, more than "), e.getMessage());
    }

    @Test
    void aGzipStreamCutInTheHeaderSaysSoInsteadOfNull() throws IOException {
        Path file = write("cut.gz", Arrays.copyOf(gzip(idx(0x08, new int[] {3}, new byte[3])), 5));
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxReader.readLabels(file));
        assertEquals(file + ": corrupt or truncated gzip header: the compressed data ends too early", e.getMessage());
    }

    @Test
    void aDirectoryIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("labels.gz"));
        expectRejected(() -> IdxReader.readLabels(folder), folder + ": is a directory, not a data file");
    }

    @Test
    void bytesStayBytesAndBecomeInputsThroughThePreprocessing() throws IOException {
        write("train-images-idx3-ubyte", idx(0x08, new int[] {2, 2, 3}, PIXELS));
        write("train-labels-idx1-ubyte.gz", gzip(idx(0x08, new int[] {2}, new byte[] {3, 1})));
        ByteFeatureDataset raw = IdxFolder.loadBytes(dir, "train");
        assertArrayEquals(new int[] {2, 3}, raw.featureShape());
        assertArrayEquals(new int[] {3, 1}, raw.labels());
        Preprocessing p = raw.standardizedGlobally(1 / 255f);
        // The statistics of the scaled pixels, as FeatureScaler computes them from floats.
        FeatureScaler reference = FeatureScaler.standardizeGlobally(IdxFolder.train(dir, true));
        assertEquals(reference.shift().toArray()[0], p.mean()[0], 1e-6f);
        assertEquals(reference.scale().toArray()[0], p.std()[0], 1e-6f);
        ByteFeatureDataset ready = raw.withPreprocessing(p).flat();
        float[] row = new float[7];
        ready.copyFeatures(1, row, 1);
        for (int j = 0; j < 6; j++) {
            assertEquals(((PIXELS[6 + j] & 0xff) / 255f - p.mean()[0]) / p.std()[0], row[1 + j], 1e-6f);
        }
        // Per-feature statistics go through the same formula without the lookup table.
        Preprocessing perFeature = new Preprocessing(2f, new float[] {0, 1, 2, 3, 4, 5}, new float[] {1, 1, 1, 1, 1, 2});
        raw.withPreprocessing(perFeature).copyFeatures(0, row, 0);
        assertArrayEquals(new float[] {0, 101, 202, 303, 404, 252.5f}, Arrays.copyOf(row, 6));
    }

    @Test
    void rejectsACorruptGzipStream() throws IOException {
        byte[] compressed = gzip(idx(0x08, new int[] {1000}, new byte[1000]));
        Path file = write("cut.gz", Arrays.copyOf(compressed, compressed.length - 12));
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().contains("corrupt or truncated gzip data"), e.getMessage());
    }

    @Test
    void folderRejectsCountMismatchAndMissingFiles() throws IOException {
        Path images = write("train-images-idx3-ubyte", idx(0x08, new int[] {2, 2, 3}, PIXELS));
        Path labels = write("train-labels-idx1-ubyte", idx(0x08, new int[] {3}, new byte[3]));
        expectRejected(() -> IdxFolder.train(dir, false), images + ": holds 2 images, but " + labels + " holds 3 labels");
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> IdxFolder.test(dir, false));
        assertTrue(missing.getMessage().contains("t10k-images-idx3-ubyte: neither it nor t10k-images-idx3-ubyte.gz exists"),
                missing.getMessage());
    }

    // ----------------------------------------------------------------- helpers

    private interface Read {
        void run() throws IOException;
    }

    private static void expectRejected(Read read, String message) {
        FileFormatException e = assertThrows(FileFormatException.class, read::run);
        assertEquals(message, e.getMessage());
    }

    /** An IDX file: two zero bytes, the type, the rank, big-endian dimensions, then the data. */
    private static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
