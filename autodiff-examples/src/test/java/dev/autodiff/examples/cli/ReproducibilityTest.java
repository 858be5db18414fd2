package dev.autodiff.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise that a run is reproducible bit for bit: the default training on the
 * digits (10 epochs, two kernel threads unless said), each run in a JVM of its own, writes
 * byte-identical checkpoints (model and optimizer file) whether the SIMD kernels run
 * compiled by C2 or only by C1 (the Vector API's Java code), in two runs with the same
 * flags, on one thread or two, and when the run is stopped after 5 epochs and resumed to 10.
 */
class ReproducibilityTest {
    private static final String EPOCHS = "10";

    @TempDir
    static Path dir;

    private static Path reference;

    /** The default training on two threads with default JVM flags, run once for all the tests. */
    private static synchronized Path reference() throws IOException, InterruptedException {
        if (reference == null) {
            reference = train("reference", List.of());
        }
        return reference;
    }

    private static Path train(String name, List<String> jvmFlags, String... options) throws IOException, InterruptedException {
        Path file = dir.resolve(name + ".safetensors");
        List<String> args = new ArrayList<>(List.of("train", "--epochs", EPOCHS, "--quiet", "--save", file.toString()));
        args.addAll(List.of(options.length > 0 ? options : new String[] {"--threads", "2"}));
        String output = TrainerProcess.run(jvmFlags, args.toArray(String[]::new)).out();
        assertTrue(output.contains("kernels: simd"), "the SIMD kernels must serve:\n" + output);
        return file;
    }

    @Test
    void theC1CompilerGivesTheBitsOfC2() throws Exception {
        Path c1 = train("c1", List.of("-XX:TieredStopAtLevel=1", "-Dautodiff.simd=on"));
        assertSameCheckpoint(reference(), c1);
    }

    @Test
    void twoRunsWithTheSameFlagsAgree() throws Exception {
        assertSameCheckpoint(reference(), train("again", List.of()));
    }

    @Test
    void oneThreadAgreesWithTwo() throws Exception {
        assertSameCheckpoint(reference(), train("one-thread", List.of(), "--threads", "1"));
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne() throws Exception {
        Path file = dir.resolve("resumed.safetensors");
        TrainerProcess.run(List.of(), "train", "--epochs", "5", "--threads", "2", "--quiet", "--save", file.toString());
        TrainerProcess.run(List.of(), "train", "--epochs", EPOCHS, "--threads", "2", "--quiet", "--resume", file.toString(),
                "--save", file.toString());
        assertSameCheckpoint(reference(), file);
    }

    /** Both files of the checkpoints are equal byte for byte; if not, says which tensors differ and by how much. */
    private static void assertSameCheckpoint(Path expected, Path actual) throws IOException {
        for (Path[] pair : new Path[][] {{expected, actual},
                {Checkpoint.optimizerFile(expected), Checkpoint.optimizerFile(actual)}}) {
            if (!Arrays.equals(Files.readAllBytes(pair[0]), Files.readAllBytes(pair[1]))) {
                fail(pair[1].getFileName() + " differs from " + pair[0].getFileName() + ": " + differences(pair[0], pair[1]));
            }
        }
    }

    private static String differences(Path expected, Path actual) throws IOException {
        SafeTensors.Contents a = SafeTensors.read(expected);
        SafeTensors.Contents b = SafeTensors.read(actual);
        if (!a.metadata().equals(b.metadata())) {
            return "metadata " + a.metadata() + " vs " + b.metadata();
        }
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            float[] x = e.getValue().toArray();
            float[] y = b.tensors().get(e.getKey()).toArray();
            int changed = 0;
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    changed++;
                    max = Math.max(max, Math.abs((double) x[i] - y[i]));
                }
            }
            if (changed > 0) {
                report.append(String.format("%s: %d of %d values differ, by up to %.3g; ", e.getKey(), changed, x.length, max));
            }
        }
        return report.toString();
    }
}
