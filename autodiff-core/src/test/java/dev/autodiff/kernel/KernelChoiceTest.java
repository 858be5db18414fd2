package dev.autodiff.kernel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.ServiceLoader;
import java.util.function.Supplier;

import static dev.autodiff.KernelInfo.VECTOR_MODULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The choice of kernels and the one line it logs when the scalar kernels serve: which case
 * it is, and how to get the SIMD kernels.
 */
class KernelChoiceTest {

    /** A logger that keeps what it is given. */
    private static final class Lines implements System.Logger {
        final List<String> messages = new ArrayList<>();
        final List<Level> levels = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            levels.add(level);
            messages.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            levels.add(level);
            messages.add(format);
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            log(level, (ResourceBundle) null, supplier.get(), (Throwable) null);
        }
    }

    private static final List<String> LAUNCH_PATHS = List.of("--add-modules " + VECTOR_MODULE, "java command line",
            "<argLine>", "MAVEN_OPTS", "JDK_JAVA_OPTIONS", "IDE run configuration", "module path",
            "Use it as a library");

    private static KernelProvider declining(KernelProvider.Decline decline) {
        return () -> KernelProvider.Offer.declined(decline, "java.lang.UnsatisfiedLinkError: planted");
    }

    @Test
    void onlyCoreOnTheClassPathSaysSoAndHowToAddTheSimdKernels() {
        Lines log = new Lines();
        Kernels k = KernelRegistry.choose(List.of(), "", false, log);
        assertEquals("scalar", k.name());
        assertEquals(List.of(System.Logger.Level.WARNING), log.levels);
        String line = log.messages.getFirst();
        assertTrue(line.contains("autodiff-simd is not on the class path") && line.contains("dev.autodiff:autodiff-simd"),
                line);
        LAUNCH_PATHS.forEach(fix -> assertTrue(line.contains(fix), fix + " in " + line));

        Lines readable = new Lines();
        KernelRegistry.choose(List.of(), "", true, readable);
        assertTrue(!readable.messages.getFirst().contains("--add-modules"), "the module is there already");
    }

    @Test
    void eachReasonAProviderDeclinesForHasItsLine() {
        Lines unreadable = new Lines();
        KernelRegistry.choose(List.of(declining(KernelProvider.Decline.VECTOR_MODULE_NOT_READABLE)), "", false, unreadable);
        assertTrue(unreadable.messages.getFirst().contains("does not read the module " + VECTOR_MODULE));
        LAUNCH_PATHS.forEach(fix -> assertTrue(unreadable.messages.getFirst().contains(fix), fix));

        Lines c2 = new Lines();
        KernelRegistry.choose(List.of(declining(KernelProvider.Decline.C2_OFF)), "", true, c2);
        assertTrue(c2.messages.getFirst().contains("the C2 compiler is off (-Xint, or -XX:TieredStopAtLevel below 4)"));

        Lines failed = new Lines();
        KernelRegistry.choose(List.of(declining(KernelProvider.Decline.FAILED_TO_LOAD)), "", true, failed);
        assertTrue(failed.messages.getFirst().contains("failed to load them (java.lang.UnsatisfiedLinkError: planted)"));
        for (Lines l : List.of(unreadable, c2, failed)) {
            assertEquals(List.of(System.Logger.Level.WARNING), l.levels, "one line each");
        }
    }

    @Test
    void switchedOffIsOneInformationLineAndNoProviderIsAsked() {
        Lines log = new Lines();
        KernelProvider unexpected = () -> {
            throw new AssertionError("asked");
        };
        assertEquals("scalar", KernelRegistry.choose(List.of(unexpected), "OFF", true, log).name());
        assertEquals(List.of(System.Logger.Level.INFO), log.levels);
        assertEquals("autodiff: the scalar kernels serve, as -Dautodiff.simd=off asks", log.messages.getFirst());
    }

    @Test
    void aProviderThatServesIsChosenSilently() {
        Lines log = new Lines();
        Kernels fast = new ScalarKernels(new KernelPool(1));
        Kernels chosen = KernelRegistry.choose(
                List.of(declining(KernelProvider.Decline.C2_OFF), () -> KernelProvider.Offer.of(fast)), "", true, log);
        assertSame(fast, chosen);
        assertTrue(log.messages.isEmpty());
    }

    @Test
    void theReadmeQuotesTheLineAsLogged() throws Exception {
        Path readme = Path.of("..", "README.md");
        assumeTrue(Files.isRegularFile(readme), "the sources are not at hand");
        String logged = SimdAdvice.declined(KernelProvider.Decline.VECTOR_MODULE_NOT_READABLE, "");
        assertTrue(Files.readAllLines(readme).contains(logged), "README should quote: " + logged);
    }

    @Test
    void inAFreshJvmWithOnlyCoreTheFirstOperationLogsTheLineOnce() throws Exception {
        // autodiff-simd runs this suite again with itself on the class path; its ProviderTest covers that case.
        assumeTrue(ServiceLoader.load(KernelProvider.class).findFirst().isEmpty(), "autodiff-simd is on the class path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FirstOperation.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("kernels: scalar"), out);
        assertEquals(1, out.lines().filter(l -> l.contains("autodiff-simd is not on the class path")).count(), out);
        int processors = Runtime.getRuntime().availableProcessors();
        assertTrue(out.contains(processors + " thread"), "the scalar kernels use every core: " + out);
    }
}
