package dev.autodiff.it;

import org.junit.jupiter.api.Test;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.autodiff.KernelInfo.VECTOR_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds and runs the consumer projects of {@code src/it} against the installed artifacts,
 * as users would: autodiff-core alone; core with the SIMD kernels under Surefire; README.md's
 * program started in each of the README's ways; and the same program as a named module.
 */
class ConsumersIT {

    private static final Readme README = Readme.librarySection();
    private static final Pattern ACCURACY = Pattern.compile("accuracy (\\d+\\.\\d+)");

    @Test
    void coreAloneServesOnTheScalarKernelsWithFastutilCoreItsOnlyDependency() throws Exception {
        ConsumerProject project = ConsumerProject.prepare("core-only");
        String build = project.mvn("verify", "dependency:build-classpath", "-DincludeScope=runtime",
                "-Dmdep.outputFile=cp.txt").output();
        assertTrue(build.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), build); // CoreOnlyTest
        assertEquals(1, build.lines().filter(l -> l.contains("autodiff-simd is not on the class path (only "
                + "autodiff-core is). Add the dependency dev.autodiff:autodiff-simd")).count(), "one warning: " + build);
        List<String> artifacts = classPath(project).stream()
                .map(jar -> jar.getFileName().toString().replaceFirst("-\\d[^-]*(-SNAPSHOT)?\\.jar$", ""))
                .sorted().toList();
        assertEquals(List.of("autodiff-core", "fastutil-core"), artifacts);
    }

    @Test
    void surefireRunsTheTestsOnTheSimdKernelsWithTheReadmesArgLine() throws Exception {
        ConsumerProject project = ConsumerProject.prepare("simd");
        String build = project.mvn("verify").output();
        assertTrue(build.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), build); // SimdActiveTest

        // The same test fails on the scalar kernels (Surefire hands -D properties to its JVM).
        var scalar = project.sh("mvn test -Dautodiff.simd=off", Map.of());
        assertNotEquals(0, scalar.exitCode(), scalar.output());
        assertTrue(scalar.output().contains("expected the SIMD kernels, got kernels: scalar"), scalar.output());
    }

    @Test
    void theReadmeProgramTrainsAndRoundTripsACheckpointInEachDocumentedLaunch() throws Exception {
        ConsumerProject project = ConsumerProject.prepare("nn");
        project.mvn("verify");
        List<Readme.Block> launches = README.taggedFor("run", "nn");
        assertEquals(3, launches.size(), "java, JDK_JAVA_OPTIONS and exec:java: " + launches);
        for (Readme.Block launch : launches) {
            String output = project.succeed(project.sh(launch.text(), Map.of())).output();
            assertTrainedOnTheSimdKernels(launch + "\n" + output);
        }

        // Without the flag, on the class path: the same results on the scalar kernels, and a warning that says why.
        String plain = project.succeed(project.sh("java -cp \"target/classes:$(cat cp.txt)\" com.example.Train", Map.of()))
                .output();
        assertTrue(plain.contains("kernels: scalar"), plain);
        assertTrue(plain.contains("the JVM does not read the module " + VECTOR_MODULE)
                && plain.contains("--add-modules " + VECTOR_MODULE), plain);
        assertTrained(plain);
    }

    @Test
    void aModularApplicationGetsTheSimdKernelsFromTheModulePathWithoutAFlag() throws Exception {
        ConsumerProject project = ConsumerProject.prepare("jpms");
        project.mvn("verify");
        assertTrue(Files.isRegularFile(project.dir().resolve("target/classes/module-info.class")));
        List<Readme.Block> launches = README.taggedFor("run", "jpms");
        assertEquals(1, launches.size(), launches.toString());
        String output = project.succeed(project.sh(launches.getFirst().text(), Map.of())).output();
        assertFalse(launches.getFirst().text().contains("--add-modules"), "the module path needs no flag");
        assertTrainedOnTheSimdKernels(output);
        assertTrue(output.contains("WARNING: Using incubator modules: " + VECTOR_MODULE), output);

        // Only the API is exported: the kernel SPI stays out of the user's reach.
        assertNotReadable(classPath(project), "dev.autodiff.kernel.Kernels",
                "package dev.autodiff.kernel is declared in module dev.autodiff.core, which does not export it to module probe");
    }

    /** The README program's output: SIMD kernels, a trained model, and an identical restored one. */
    private static void assertTrainedOnTheSimdKernels(String output) {
        assertTrue(output.contains("kernels: simd"), output);
        assertTrained(output);
    }

    private static void assertTrained(String output) {
        Matcher accuracy = ACCURACY.matcher(output);
        assertTrue(accuracy.find(), output);
        assertTrue(Double.parseDouble(accuracy.group(1)) >= 0.95, output);
        assertTrue(output.contains("the restored model gives the same logits: true"), output);
    }

    /** The jars of {@code cp.txt}, which {@code dependency:build-classpath} wrote. */
    private static List<Path> classPath(ConsumerProject project) throws IOException {
        String text = Files.readString(project.dir().resolve("cp.txt")).strip();
        return Pattern.compile(":").splitAsStream(text).map(Path::of).toList();
    }

    /** Compiles a module {@code probe} that requires dev.autodiff.nn and names {@code type}; it must not compile. */
    private static void assertNotReadable(List<Path> modulePath, String type, String expectedError) throws IOException {
        Path src = Files.createTempDirectory("probe");
        Files.writeString(src.resolve("module-info.java"), "module probe { requires dev.autodiff.nn; }\n");
        Files.createDirectories(src.resolve("probe"));
        Path probe = Files.writeString(src.resolve("probe").resolve("Probe.java"),
                "package probe;\nclass Probe { " + type + " field; }\n");
        var compiler = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var files = compiler.getStandardFileManager(diagnostics, null, null)) {
            // An empty class path: not the one of this test's JVM, which holds autodiff too.
            Path classes = Files.createTempDirectory("probe-classes");
            List<String> options = List.of("--module-path", String.join(":", modulePath.stream().map(Path::toString).toList()),
                    "--class-path", classes.toString(), "-d", classes.toString());
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(src.resolve("module-info.java"), probe)).call();
            String messages = String.join("\n", diagnostics.getDiagnostics().stream().map(d -> d.getMessage(null)).toList());
            assertFalse(compiled, type + " should not be accessible");
            assertTrue(messages.contains(expectedError), messages);
        }
    }
}
