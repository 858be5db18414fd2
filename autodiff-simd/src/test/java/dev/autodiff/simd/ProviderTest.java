package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.KernelRegistry;
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
        var kernels = new SimdKernelProvider().kernels();
        assertTrue(kernels.isPresent());
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize(), kernels.get().vectorBitSize());
    }

    @Test
    void declinesWithoutTheVectorModuleAndSaysHowToEnableIt() {
        var reason = SimdKernelProvider.declineReason(false, true);
        assertTrue(reason.orElseThrow().contains("--add-modules jdk.incubator.vector"), reason.get());
    }

    @Test
    void declinesWithoutC2() {
        assertTrue(SimdKernelProvider.declineReason(true, false).isPresent());
        assertFalse(SimdKernelProvider.declineReason(true, true).isPresent());
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
