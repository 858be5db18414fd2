package dev.autodiff.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small IDX data set written to a folder for the trainer's tests: 4x4 images of three
 * classes, class c lighting up pixel c, with noise; 90 training and 30 test images.
 */
final class IdxFixture {
    private IdxFixture() {}

    static final int TRAIN = 90;
    static final int TEST = 30;

    /** Writes the four files into {@code folder}; the training labels are gzip-compressed. */
    static Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        SplittableRandom rng = new SplittableRandom(3);
        writeSplit(folder, "train", TRAIN, rng);
        writeSplit(folder, "t10k", TEST, rng);
        return folder;
    }

    private static void writeSplit(Path folder, String prefix, int count, SplittableRandom rng) throws IOException {
        byte[] pixels = new byte[count * 16];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 3;
            labels[i] = (byte) label;
            for (int p = 0; p < 16; p++) {
                pixels[16 * i + p] = (byte) (p == label ? 200 + rng.nextInt(50) : rng.nextInt(60));
            }
        }
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), idx(0x0803, new int[] {count, 4, 4}, pixels));
        labelFile(folder, prefix, labels);
    }

    /** Writes the label file of a split (gzip for train, raw for t10k). */
    static Path labelFile(Path folder, String prefix, byte[] labels) throws IOException {
        byte[] bytes = idx(0x0801, new int[] {labels.length}, labels);
        if (prefix.equals("train")) {
            Files.deleteIfExists(folder.resolve(prefix + "-labels-idx1-ubyte"));
            return Files.write(folder.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(bytes));
        }
        return Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), bytes);
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
