package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import dev.autodiff.nn.HeapCheck;
import dev.autodiff.nn.io.FileFormatException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST, raw or gzip-compressed: unsigned-byte
 * images of rank 3 (magic 0x00000803) and unsigned-byte labels of rank 1 (magic 0x00000801).
 * The magic number, the dimensions and the length are checked; a file that does not match
 * gets a {@link FileFormatException} naming it and the byte offset.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    /** Deflate expands at most about 1032 times: a gzip file cannot hold more than this many bytes per byte. */
    private static final long MAX_DEFLATE_RATIO = 1100;

    private final Path file;
    private final CompressedInput input;
    private long position;

    private IdxReader(Path file, CompressedInput input) {
        this.file = file;
        this.input = input;
    }

    /**
     * The images of an {@code idx3-ubyte} file as a {@code [count, rows, columns]} tensor, with
     * pixel values 0..255, divided by 255 to lie in [0, 1] when {@code scaleToUnit}.
     */
    public static Tensor readImages(Path file, boolean scaleToUnit) throws IOException {
        Images raw = readImageBytes(file);
        HeapCheck.require(4L * raw.pixels().length, file + " as floats");
        byte[] pixels = raw.pixels();
        float scale = scaleToUnit ? 255f : 1f;
        return Tensor.zeros(raw.count(), raw.rows(), raw.columns()).writeInPlace(values -> {
            for (int i = 0; i < pixels.length; i++) {
                values[i] = (pixels[i] & 0xff) / scale;
            }
        });
    }

    /**
     * The images of an {@code idx3-ubyte} file as stored: one unsigned byte per pixel, image
     * after image, row after row (a quarter of the memory of floats).
     *
     * @param count the number of images
     * @param rows the rows of each image
     * @param columns the columns of each image
     * @param pixels {@code count · rows · columns} bytes, to be read as unsigned ({@code b & 0xff})
     */
    public record Images(int count, int rows, int columns, byte[] pixels) {}

    /** Reads the images of an {@code idx3-ubyte} file without converting them; see {@link Images}. */
    public static Images readImageBytes(Path file) throws IOException {
        try (CompressedInput input = CompressedInput.open(file)) {
            IdxReader reader = new IdxReader(file, input);
            int[] dims = reader.header(3, "images");
            return new Images(dims[0], dims[1], dims[2], reader.body(dims));
        }
    }

    /** The labels of an {@code idx1-ubyte} file. */
    public static int[] readLabels(Path file) throws IOException {
        try (CompressedInput input = CompressedInput.open(file)) {
            IdxReader reader = new IdxReader(file, input);
            byte[] bytes = reader.body(reader.header(1, "labels"));
            int[] labels = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        }
    }

    /** Checks the magic number and reads the dimensions. */
    private int[] header(int rank, String what) throws IOException {
        byte[] magic = bytes(4, "the magic number");
        int found = (magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8 | (magic[3] & 0xff);
        int expected = UNSIGNED_BYTE << 8 | rank;
        if (magic[0] != 0 || magic[1] != 0) {
            throw error(0, String.format("not an IDX file: magic number 0x%08x does not start with two zero bytes", found));
        }
        if (magic[2] != UNSIGNED_BYTE) {
            throw error(2, String.format("IDX data type 0x%02x (%s) is not supported; %s must be unsigned bytes (0x08)",
                    magic[2], typeName(magic[2]), what));
        }
        if (magic[3] != rank) {
            throw error(3, String.format("IDX rank %d (magic number 0x%08x), but %s have rank %d (magic number 0x%08x)",
                    magic[3], found, what, rank, expected));
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            byte[] b = bytes(4, "dimension " + d);
            dims[d] = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            if (dims[d] < 0) {
                throw error(4 + 4L * d, "dimension " + d + " is negative (" + dims[d] + ")");
            }
        }
        return dims;
    }

    /**
     * Reads exactly the bytes the dimensions call for, and checks that nothing follows. The
     * declared size is checked against the file's length and the heap before it is allocated.
     */
    private byte[] body(int[] dims) throws IOException {
        long count = 1;
        for (int d : dims) {
            count = Math.min(count * d, Integer.MAX_VALUE + 1L);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw error(4, "dimensions " + Arrays.toString(dims) + " describe more values than one array can hold");
        }
        long headerEnd = position;
        String excess = "unexpected data after the " + count + " bytes that the dimensions " + Arrays.toString(dims)
                + " call for (header of " + headerEnd + " bytes)";
        long length = input.length();
        if (!input.gzip() && length < headerEnd + count) {
            throw error(length, "file is truncated: it ends after " + (length - headerEnd) + " of the " + count
                    + " bytes of the data");
        }
        if (!input.gzip() && length > headerEnd + count) {
            throw error(headerEnd + count, excess);
        }
        if (input.gzip() && count > MAX_DEFLATE_RATIO * length) {
            throw error(4, "dimensions " + Arrays.toString(dims) + " call for " + count + " bytes, more than "
                    + length + " bytes of gzip data can hold");
        }
        HeapCheck.require(count, file.toString());
        byte[] data = bytes((int) count, "the data");
        int extra = readOrEnd();
        if (extra >= 0) {
            throw error(position - 1, excess);
        }
        return data;
    }

    /** Reads {@code n} bytes; callers have checked that {@code n} fits the file and the heap. */
    private byte[] bytes(int n, String what) throws IOException {
        byte[] buffer = new byte[n];
        int filled = 0;
        while (filled < n) {
            int read = read(buffer, filled, n - filled);
            if (read < 0) {
                throw error(position, "file is truncated: it ends after " + filled + " of the " + n + " bytes of " + what);
            }
            filled += read;
            position += read;
        }
        return buffer;
    }

    private int readOrEnd() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        if (read > 0) {
            position++;
        }
        return read > 0 ? one[0] & 0xff : -1;
    }

    private int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return input.stream().read(buffer, offset, length);
        } catch (ZipException | EOFException e) {
            throw error(position, "corrupt or truncated gzip data: " + CompressedInput.problem(e));
        }
    }

    private FileFormatException error(long offset, String problem) {
        return new FileFormatException(file, input.at(offset) + ": " + problem);
    }

    private static String typeName(byte type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown";
        };
    }
}
