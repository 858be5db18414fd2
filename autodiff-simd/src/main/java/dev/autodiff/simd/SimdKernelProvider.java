package dev.autodiff.simd;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.KernelProvider;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.KernelProvider.Decline;
import dev.autodiff.kernel.KernelProvider.Offer;
import dev.autodiff.kernel.Kernels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Offers the Vector API kernels when the running JVM can run them fast, and otherwise
 * declines, saying why (core's {@code KernelRegistry} logs the line that says how to enable
 * them). Nothing of the Vector API is loaded before the checks pass: the kernels are
 * created reflectively. With {@code -Dautodiff.simd=on} they serve without C2 too, slowly
 * but with the same bits.
 */
public final class SimdKernelProvider implements KernelProvider {

    private static final String KERNELS_CLASS = "dev.autodiff.simd.SimdKernels";

    @Override
    public Offer offer() {
        Optional<Decline> decline = declineReason(KernelInfo.vectorModuleReadable(), KernelRegistry.simdForced() || c2Enabled());
        if (decline.isPresent()) {
            return Offer.declined(decline.get(), "");
        }
        try {
            return Offer.of((Kernels) Class.forName(KERNELS_CLASS).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return Offer.declined(Decline.FAILED_TO_LOAD, e.toString());
        }
    }

    /** Why the SIMD kernels cannot serve, or empty when they can; {@code fastEnough} is false without C2. */
    static Optional<Decline> declineReason(boolean vectorModulePresent, boolean fastEnough) {
        if (!vectorModulePresent) {
            return Optional.of(Decline.VECTOR_MODULE_NOT_READABLE);
        }
        if (!fastEnough) {
            return Optional.of(Decline.C2_OFF);
        }
        return Optional.empty();
    }

    /** Whether the optimizing compiler can run, judged from the VM's mode and its flags. */
    static boolean c2Enabled() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return false;
        }
        try {
            return c2Enabled(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } catch (LinkageError | SecurityException e) {
            return true; // no management module: assume the default VM, which has C2
        }
    }

    /** Whether these JVM arguments leave C2 on: the last {@code -Xint} or {@code TieredStopAtLevel} wins. */
    static boolean c2Enabled(List<String> jvmArguments) {
        boolean enabled = true;
        for (String arg : jvmArguments) {
            if (arg.equals("-Xint")) {
                enabled = false;
            } else if (arg.equals("-Xmixed") || arg.equals("-Xcomp")) {
                enabled = true;
            } else if (arg.startsWith("-XX:TieredStopAtLevel=")) {
                enabled = parseLevel(arg.substring("-XX:TieredStopAtLevel=".length())) >= 4;
            }
        }
        return enabled;
    }

    private static int parseLevel(String level) {
        try {
            return Integer.parseInt(level.trim());
        } catch (NumberFormatException e) {
            return 4;
        }
    }
}
