package dev.autodiff.nn.io;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed (SIGKILL) in the middle of a save leaves the previous file whole, and the
 * next save to the same file removes the temporary file it left behind.
 */
class KilledSaveTest {
    private static final int VALUES = 1 << 23;

    /** Saves {@code [VALUES]} tensors filled with 1, 2, 3, ... to the file in {@code args[0]} until killed. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        for (int i = 1; ; i++) {
            SafeTensors.write(file, Map.of("w", Tensor.full(i, VALUES)));
        }
    }

    @Test
    void aSaveKilledHalfWayLeavesTheOldFileAndTheNextSaveCleansUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.full(0f, VALUES)));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledSaveTest.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            // Kill it while a temporary file exists: in the middle of writing one.
            long polls = 0;
            while (temporaryFiles(dir).isEmpty()) {
                assertTrue(child.isAlive(), () -> "the saving process ended: " + output(child));
                Thread.sleep(1);
                assertTrue(++polls < 60_000, "no temporary file appeared");
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        float[] values = SafeTensors.read(file).tensors().get("w").toArray();
        for (float v : values) {
            assertEquals(values[0], v, "a whole file from one save, not a torn one");
        }
        SafeTensors.write(file, Map.of("w", Tensor.full(-1f, 3)));
        assertEquals(List.of(), temporaryFiles(dir));
        assertEquals(-1f, SafeTensors.read(file).tensors().get("w").toArray()[2]);
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }
}
