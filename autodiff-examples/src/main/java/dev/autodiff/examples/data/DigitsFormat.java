package dev.autodiff.examples.data;

import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compact file format of the embedded digits data set, and its converter from the
 * original CSV. A gzipped stream of: the magic {@code "ADG1"}, the sample count (int32,
 * big-endian), the image height, width and class count (one byte each), then per
 * sample its pixels (one byte each, 0..16, row-major) and its label (one byte). The
 * 1,797 samples take 117 KB raw and 46 KB gzipped (the gzipped CSV takes 57 KB), and
 * load without parsing text.
 */
public final class DigitsFormat {
    private DigitsFormat() {}

    /** The first four bytes of the (uncompressed) stream. */
    public static final int MAGIC = 0x41444731; // "ADG1"
    /** The largest pixel value: the UCI images count set bits in 4x4 blocks. */
    public static final int MAX_PIXEL = 16;
    private static final int HEADER_BYTES = 11;

    /** Images with labels, as read from the format: {@code pixels} holds {@code count · height · width} values. */
    public record Images(byte[] pixels, int[] labels, int height, int width, int classes) {
        /** The number of samples. */
        public int count() {
            return labels.length;
        }

        /** The number of pixels of one image. */
        public int pixelsPerImage() {
            return height * width;
        }
    }

    /** Reads and validates the format; {@code source} names the file in error messages. */
    public static Images read(InputStream gzipped, String source) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(gzipped));
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(source + ": byte 0: not a digits file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
        }
        int count = in.readInt();
        int height = in.readUnsignedByte();
        int width = in.readUnsignedByte();
        int classes = in.readUnsignedByte();
        if (count <= 0 || height == 0 || width == 0 || classes < 2) {
            throw new IOException(source + ": byte 4: bad header: " + count + " samples of " + height + "x" + width
                    + " pixels in " + classes + " classes");
        }
        int perImage = height * width;
        byte[] pixels = new byte[count * perImage];
        int[] labels = new int[count];
        long offset = HEADER_BYTES;
        try {
            for (int i = 0; i < count; i++) {
                in.readFully(pixels, i * perImage, perImage);
                for (int p = i * perImage; p < (i + 1) * perImage; p++) {
                    if (pixels[p] < 0 || pixels[p] > MAX_PIXEL) {
                        throw new IOException(source + ": byte " + (offset + p - i * perImage) + ": pixel value "
                                + (pixels[p] & 0xff) + " of sample " + i + " is outside 0.." + MAX_PIXEL);
                    }
                }
                offset += perImage;
                labels[i] = in.readUnsignedByte();
                if (labels[i] >= classes) {
                    throw new IOException(source + ": byte " + offset + ": label " + labels[i] + " of sample " + i
                            + " is not below the class count " + classes);
                }
                offset++;
            }
        } catch (EOFException e) {
            throw new IOException(source + ": byte " + offset + ": the file ends before the " + count
                    + " samples its header announces", e);
        }
        if (in.read() != -1) {
            throw new IOException(source + ": byte " + offset + ": unexpected data after the " + count + " samples");
        }
        return new Images(pixels, labels, height, width, classes);
    }

    /** Writes images in the format, gzipped. */
    public static void write(Images images, OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        DataOutputStream data = new DataOutputStream(gz);
        data.writeInt(MAGIC);
        data.writeInt(images.count());
        data.writeByte(images.height());
        data.writeByte(images.width());
        data.writeByte(images.classes());
        int perImage = images.pixelsPerImage();
        for (int i = 0; i < images.count(); i++) {
            data.write(images.pixels(), i * perImage, perImage);
            data.writeByte(images.labels()[i]);
        }
        data.flush();
        gz.finish();
    }

    /**
     * Parses the UCI CSV as shipped by scikit-learn ({@code digits.csv.gz}): one sample a
     * line, 64 pixel values 0..16 then the label 0..9.
     */
    public static Images parseCsv(InputStream gzipped, String source) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(gzipped), StandardCharsets.US_ASCII));
        var pixels = new ByteArrayOutputStream();
        var labels = new IntArrayList();
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            if (cells.length != 65) {
                throw new IOException(source + ": line " + lineNo + ": " + cells.length + " values, expected 65");
            }
            for (int c = 0; c < 65; c++) {
                int v;
                try {
                    v = Integer.parseInt(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": line " + lineNo + ", column " + (c + 1) + ": not an integer: "
                            + cells[c]);
                }
                int max = c < 64 ? MAX_PIXEL : 9;
                if (v < 0 || v > max) {
                    throw new IOException(source + ": line " + lineNo + ", column " + (c + 1) + ": " + v
                            + " is outside 0.." + max);
                }
                if (c < 64) {
                    pixels.write(v);
                } else {
                    labels.add(v);
                }
            }
        }
        return new Images(pixels.toByteArray(), labels.toIntArray(), 8, 8, 10);
    }

    /** Converts the CSV to this format: {@code DigitsFormat <digits.csv.gz> <digits.bin.gz>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DigitsFormat <digits.csv.gz> <digits.bin.gz>");
            System.exit(2);
        }
        Images images;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            images = parseCsv(in, args[0]);
        }
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            write(images, out);
        }
        System.out.println("wrote " + images.count() + " samples to " + args[1]);
    }
}
