package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.KernelProvider.Decline;
import dev.autodiff.kernel.KernelRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery: this JVM must run on the SIMD kernels, and the provider declines where it should. */
class ProviderTest {

    @Test
    void simdKernelsAreActiveUnlessTurnedOff() {
        String expected = KernelRegistry.simdOff() ? "scalar" : "simd";
        assertEquals(expected, KernelInfo.active().name(), KernelInfo.active().toString());
        assertEquals(expected.equals("simd"), KernelInfo.active().simd());
    }

    @Test
    void providerServesOnThisJvm() {
        var kernels = new SimdKernelProvider().offer().kernels();
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(), kernels.vectorBitSize());
    }

    @Test
    void declinesWithoutTheVectorModuleOrWithoutC2() {
        assertEquals(Decline.VECTOR_MODULE_NOT_READABLE, SimdKernelProvider.declineReason(false, true).orElseThrow());
        assertEquals(Decline.C2_OFF, SimdKernelProvider.declineReason(true, false).orElseThrow());
        assertFalse(SimdKernelProvider.declineReason(true, true).isPresent());
    }

    /** Runs {@link FirstOperation} in a fresh JVM with the given flags and returns what it printed, both streams. */
    private static String firstOperation(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstOperation.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        return out;
    }

    @Test
    void withoutAddModulesOneLineSaysSoAndHowToFixItForEachLaunch() throws Exception {
        String out = firstOperation();
        assertTrue(out.contains("kernels: scalar"), out);
        List<String> warnings = out.lines().filter(l -> l.contains("autodiff: the scalar kernels serve")).toList();
        assertEquals(1, warnings.size(), out);
        for (String fix : List.of("does not read the module jdk.incubator.vector", "--add-modules jdk.incubator.vector",
                "java command line", "<argLine>", "MAVEN_OPTS", "JDK_JAVA_OPTIONS", "IDE run configuration",
                "module path", "Use it as a library")) {
            assertTrue(warnings.getFirst().contains(fix), fix + " in " + warnings.getFirst());
        }
    }

    @Test
    void withoutC2OrWhenSwitchedOffTheLineSaysWhich() throws Exception {
        String interpreted = firstOperation("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
        assertTrue(interpreted.contains("kernels: scalar") && interpreted.contains("the C2 compiler is off"), interpreted);
        String off = firstOperation("--add-modules", "jdk.incubator.vector", "-Dautodiff.simd=off");
        assertTrue(off.contains("kernels: scalar") && off.contains("as -Dautodiff.simd=off asks"), off);
        String on = firstOperation("--add-modules", "jdk.incubator.vector");
        assertTrue(on.contains("kernels: simd") && !on.contains("autodiff:"), on);
    }

    @Test
    void readsC2FromTheJvmArguments() {
        assertTrue(SimdKernelProvider.c2Enabled(List.of("--add-modules", "jdk.incubator.vector")));
        assertFalse(SimdKernelProvider.c2Enabled(List.of("-Xint")));
        assertFalse(SimdKernelProvider.c2Enabled(List.of("-XX:TieredStopAtLevel=1")));
        assertTrue(SimdKernelProvider.c2Enabled(List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4")));
        assertTrue(SimdKernelProvider.c2Enabled());
    }

    @Test
    void threadCountComesFromTheConstructor() {
        assertEquals(7, new SimdKernels(7).threads());
        assertEquals("simd", new SimdKernels(1).name());
    }
}
