package dev.autodiff.nn.io;

import dev.autodiff.Tensor;
import dev.autodiff.nn.BatchNorm1d;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.CsvFormat;
import dev.autodiff.nn.data.CsvReader;
import dev.autodiff.nn.data.IdxFolder;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files damaged at random: a checkpoint (model and optimizer files), an IDX data set (raw
 * and gzipped) and a CSV file, each mutated a thousand times (bytes changed, inserted,
 * removed, the file cut short) and read as a user reads it. Every read either succeeds or
 * fails with the exception a user sees as one line (an {@link IOException}, or an
 * {@link IllegalArgumentException} for a state that does not fit the model) whose message
 * names the damaged file; never an index out of bounds, a negative array size, an
 * arithmetic error or an exception with no word about which file is wrong.
 */
class MalformedFilesTest {

    private static final int MUTATIONS = 1000;

    @TempDir
    Path dir;

    /** Reads the files in {@code dir} as a user would; what it returns does not matter. */
    interface Read {
        void run(Path dir) throws Exception;
    }

    @Test
    void aDamagedCheckpointIsRefusedWithItsFileNamed() throws Exception {
        Path model = dir.resolve("model.safetensors");
        Sequential net = network(1);
        Optimizer adam = new Adam(net.parameters(), 0.01).amsgrad(true);
        LrScheduler schedule = new LrScheduler(adam, LrSchedule.cosine(20, 0));
        train(net, adam);
        Checkpoint.save(model, net, adam, schedule, 3);
        Read resume = d -> {
            Sequential other = network(2);
            Optimizer otherAdam = new Adam(other.parameters(), 0.1);
            Checkpoint.resume(d.resolve("model.safetensors"), other, otherAdam,
                    new LrScheduler(otherAdam, LrSchedule.cosine(20, 0)));
        };
        fuzz(model, resume, headerLength(model));
        fuzz(Checkpoint.optimizerFile(model), resume, headerLength(Checkpoint.optimizerFile(model)));
    }

    @Test
    void aDamagedIdxDataSetIsRefusedWithItsFileNamed() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] pixels = new byte[7 * 5 * 4];
        rng.nextBytes(pixels);
        byte[] labels = new byte[7];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) rng.nextInt(10);
        }
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {7, 5, 4}, pixels));
        Path labelFile = Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {7}, labels));
        Read load = d -> IdxFolder.load(d, "train", true);
        fuzz(images, load, 16);
        fuzz(labelFile, load, 8);

        Files.delete(images);
        Path gzipped = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(0x08, new int[] {7, 5, 4}, pixels)));
        fuzz(gzipped, load, 20);
    }

    @Test
    void aDamagedCsvFileIsRefusedWithItsFileNamed() throws Exception {
        Path csv = Files.writeString(dir.resolve("data.csv"), """
                x1,x2,x3,label
                0.5,-1.25,3,0
                1e-3,2.5,-0.75,2
                4,0,1.5,1
                -2,0.125,7,2
                """);
        fuzz(csv, d -> CsvReader.readLabeled(d.resolve("data.csv"), CsvFormat.DEFAULT.withHeader(true)),
                (int) Files.size(csv));
        fuzz(csv, d -> CsvReader.readTargets(d.resolve("data.csv"), CsvFormat.DEFAULT.withHeader(true)),
                (int) Files.size(csv));
    }

    /**
     * Mutates {@code file} {@link #MUTATIONS} times, most often within its first
     * {@code structure} bytes (a header, where a changed byte changes a shape or an
     * offset rather than one value), reads after each and restores it. Most of the
     * damage must be refused: the read reads the damaged file.
     */
    private void fuzz(Path file, Read read, int structure) throws Exception {
        byte[] original = Files.readAllBytes(file);
        SplittableRandom rng = new SplittableRandom(file.getFileName().toString().hashCode());
        int refused = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            StringBuilder how = new StringBuilder();
            byte[] damaged = mutate(original, rng, Math.min(structure, original.length), how);
            Files.write(file, damaged);
            try {
                read.run(dir);
            } catch (IOException | IllegalArgumentException e) {
                refused++;
                String message = String.valueOf(e.getMessage());
                assertTrue(message.contains(file.getFileName().toString()),
                        () -> file.getFileName() + " " + how + ": the message does not name the file: " + message);
            } catch (Exception | Error e) {
                throw new AssertionError(file.getFileName() + " " + how + ": " + e, e);
            } finally {
                Files.write(file, original);
            }
        }
        assertTrue(refused > MUTATIONS / 2, file.getFileName() + ": only " + refused + " of " + MUTATIONS + " refused");
    }

    private static byte[] mutate(byte[] original, SplittableRandom rng, int structure, StringBuilder how) {
        int at = rng.nextInt(4) > 0 && structure > 0 ? rng.nextInt(structure) : rng.nextInt(original.length);
        return switch (rng.nextInt(5)) {
            case 0, 1 -> {
                byte[] b = original.clone();
                int count = 1 + rng.nextInt(3);
                for (int k = 0; k < count; k++) {
                    int where = Math.min(original.length - 1, at + rng.nextInt(8));
                    b[where] = interesting(rng);
                    how.append("byte ").append(where).append(" = ").append(b[where]).append("; ");
                }
                yield b;
            }
            case 2 -> {
                how.append("cut to ").append(at).append(" bytes");
                yield Arrays.copyOf(original, at);
            }
            case 3 -> {
                int length = 1 + rng.nextInt(8);
                byte[] inserted = new byte[length];
                for (int k = 0; k < length; k++) {
                    inserted[k] = interesting(rng);
                }
                how.append(Arrays.toString(inserted)).append(" inserted at ").append(at);
                byte[] b = new byte[original.length + length];
                System.arraycopy(original, 0, b, 0, at);
                System.arraycopy(inserted, 0, b, at, length);
                System.arraycopy(original, at, b, at + length, original.length - at);
                yield b;
            }
            default -> {
                int length = Math.min(original.length - at, 1 + rng.nextInt(8));
                how.append(length).append(" bytes removed at ").append(at);
                byte[] b = new byte[original.length - length];
                System.arraycopy(original, 0, b, 0, at);
                System.arraycopy(original, at + length, b, at, original.length - at - length);
                yield b;
            }
        };
    }

    /** A byte that changes a format's meaning more often than a uniform one: digits, punctuation, extremes. */
    private static byte interesting(SplittableRandom rng) {
        byte[] special = "0123456789-.,:[]{}\"e\n ".getBytes(StandardCharsets.US_ASCII);
        return switch (rng.nextInt(3)) {
            case 0 -> special[rng.nextInt(special.length)];
            case 1 -> (byte) new int[] {0, 1, 0x7f, 0x80, 0xff}[rng.nextInt(5)];
            default -> (byte) rng.nextInt(256);
        };
    }

    private static Sequential network(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Linear(4, 6, rng), new BatchNorm1d(6), new ReLU(), new Linear(6, 3, rng));
    }

    private static void train(Sequential net, Optimizer optimizer) {
        Tensor x = Tensor.randn(new SplittableRandom(5), 8, 4);
        for (int i = 0; i < 2; i++) {
            optimizer.zeroGrad();
            net.forward(x).square().mean().backward();
            optimizer.step();
        }
    }

    /** The 8-byte length and the JSON header of a safetensors file. */
    private static int headerLength(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putShort((short) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
