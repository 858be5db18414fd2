package dev.autodiff.nn.data;

import dev.autodiff.nn.io.FileFormatException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The content of a file that may be gzip-compressed, recognised by the gzip magic bytes
 * 1f 8b rather than by its name.
 *
 * @param stream the buffered, decompressed content
 * @param gzip whether the file is gzip, so that byte offsets in messages refer to the decompressed data
 * @param length the file's length in bytes (compressed, for gzip)
 */
record CompressedInput(InputStream stream, boolean gzip, long length) implements Closeable {
    private static final int BUFFER = 1 << 16;

    static CompressedInput open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file, "is a directory, not a data file");
        }
        long length = Files.size(file);
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return new CompressedInput(gzip ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw, gzip,
                    length);
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new FileFormatException(file, "corrupt or truncated gzip header: " + problem(e));
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** What a gzip failure means; the JDK's exceptions often carry no message. */
    static String problem(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof EOFException ? "the compressed data ends too early" : "invalid compressed data";
    }

    /** Where a byte offset of the content lies, for messages. */
    String at(long offset) {
        return gzip ? "at byte " + offset + " of the decompressed data" : "at byte " + offset;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
