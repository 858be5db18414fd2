package dev.autodiff.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up cache, run against a copy of the script in a fake checkout whose
 * {@code java} only writes down its arguments (and the cache file, when asked to create one):
 * where the cache lives, that it is made once and reused, that a newer jar or library makes
 * it anew, and that the trainer runs without it where it cannot be written or made.
 */
class LauncherTest {
    private static final Path SCRIPT = Path.of("..", "autodiff");

    @TempDir
    Path dir;
    private Path root;
    private Path jar;
    private Path calls;

    @BeforeEach
    void fakeCheckout() throws IOException {
        root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(SCRIPT, root.resolve("autodiff"));
        Path target = Files.createDirectories(root.resolve("autodiff-examples/target"));
        jar = Files.writeString(target.resolve("autodiff-examples-0.1.0-SNAPSHOT.jar"), "jar");
        Files.writeString(Files.createDirectories(target.resolve("lib")).resolve("autodiff-core.jar"), "lib");
        calls = dir.resolve("calls.txt");
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        // one line of arguments per call; a run with -XX:AOTCacheOutput=F writes F, unless FAKE_AOT_FAIL is set
        Files.writeString(bin.resolve("java"), """
                #!/bin/sh
                if [ "$1" = -version ]; then echo 'openjdk version "25.0.3" 2026-01-20' >&2; exit 0; fi
                echo "$*" >> "%s"
                for a in "$@"; do
                  case "$a" in -XX:AOTCacheOutput=*)
                    [ -n "${FAKE_AOT_FAIL:-}" ] && exit 1
                    echo cache > "${a#-XX:AOTCacheOutput=}" ;;
                  esac
                done
                """.formatted(calls));
        Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        age(jar, 100);
        age(target.resolve("lib/autodiff-core.jar"), 100);
        age(root.resolve("autodiff"), 100);
        age(bin.resolve("java"), 100);
    }

    private static void age(Path file, long seconds) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(seconds)));
    }

    private List<String> launch(String... env) throws IOException, InterruptedException {
        Files.deleteIfExists(calls);
        ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("autodiff").toString(), "info").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        pb.environment().remove("AUTODIFF_AOT_CACHE");
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return Files.readAllLines(calls);
    }

    private Path cache() {
        return root.resolve("autodiff-examples/target/autodiff.aot");
    }

    @Test
    void theFirstRunMakesTheCacheNextToTheJarAndTheNextOnesUseIt() throws Exception {
        List<String> first = launch();
        assertEquals(2, first.size(), "a training run that makes the cache, then the command: " + first);
        assertTrue(first.get(0).contains("-XX:AOTCacheOutput=" + cache() + "."), first.get(0));
        assertTrue(first.get(0).endsWith("train --dataset digits --hidden 256 --batch 128 --epochs 3 --quiet"), first.get(0));
        assertTrue(first.get(1).contains("-XX:AOTCache=" + cache()), first.get(1));
        assertTrue(first.get(1).endsWith("AutodiffCli info"), first.get(1));
        assertTrue(Files.exists(cache()));
        try (var files = Files.list(cache().getParent())) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary file is left");
        }

        List<String> second = launch();
        assertEquals(1, second.size(), "the cache is made once: " + second);
        assertTrue(second.get(0).contains("-XX:AOTCache=" + cache()), second.get(0));
    }

    @Test
    void aNewerJarOrLibraryMakesTheCacheAnew() throws Exception {
        launch();
        age(cache(), 50);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        assertEquals(2, launch().size(), "a rebuilt jar invalidates the cache");
        age(cache(), 50);
        Files.writeString(root.resolve("autodiff-examples/target/lib/new-dependency.jar"), "lib");
        assertEquals(2, launch().size(), "a changed library folder invalidates the cache");
        assertEquals(1, launch().size());
    }

    @Test
    void whereTheCacheCannotBeWrittenTheTrainerRunsWithoutIt() throws Exception {
        List<String> unwritable = launch("AUTODIFF_AOT_CACHE", dir.resolve("missing/folder/autodiff.aot").toString());
        assertEquals(1, unwritable.size(), unwritable.toString());
        assertFalse(unwritable.get(0).contains("-XX:AOTCache"), unwritable.get(0));

        List<String> failed = launch("FAKE_AOT_FAIL", "1");
        assertEquals(2, failed.size(), failed.toString());
        assertFalse(failed.get(1).contains("-XX:AOTCache"), failed.get(1));
        assertFalse(Files.exists(cache()));

        List<String> off = launch("AUTODIFF_AOT_CACHE", "off");
        assertEquals(1, off.size());
        assertFalse(off.get(0).contains("-XX:AOTCache"), off.get(0));
    }

    @Test
    void anotherCacheFileCanBeNamed() throws Exception {
        Path elsewhere = dir.resolve("caches/mine.aot");
        Files.createDirectories(elsewhere.getParent());
        List<String> runs = launch("AUTODIFF_AOT_CACHE", elsewhere.toString());
        assertTrue(runs.get(1).contains("-XX:AOTCache=" + elsewhere), runs.get(1));
        assertTrue(Files.exists(elsewhere));
        assertFalse(Files.exists(cache()));
    }
}
