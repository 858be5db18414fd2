package dev.autodiff.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.KernelInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the command-line trainer in a JVM of its own, with the test's class path and JDK,
 * chosen JVM flags, and the flags the {@code autodiff} launcher passes. A fresh JVM is what
 * makes its JIT compiler start from nothing, and its kernels read their thread count anew.
 */
final class TrainerProcess {
    private TrainerProcess() {}

    /** What a run printed on stdout and on stderr, after it exited with code 0. */
    record Output(String out, String err) {}

    /** Runs {@code autodiff <args>} in a new JVM started with {@code jvmFlags}; fails the test unless it exits with 0. */
    static Output run(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-modules", KernelInfo.VECTOR_MODULE, "-XX:+UseParallelGC", "-XX:MaxNewSize=128m"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AutodiffCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        // both pipes drain at once, so that neither fills up and stalls the child
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
        String out = text(process.getInputStream());
        int code = process.waitFor();
        assertEquals(0, code, () -> String.join(" ", command) + "\n" + out + err.join());
        return new Output(out, err.join());
    }

    private static String text(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
