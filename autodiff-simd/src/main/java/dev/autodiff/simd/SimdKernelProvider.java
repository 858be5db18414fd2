package dev.autodiff.simd;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.KernelProvider;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Kernels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Offers the Vector API kernels when the running JVM can run them fast, and otherwise
 * declines with one log line that says how to enable them. Nothing of the Vector API is
 * loaded before the checks pass: the kernels are created reflectively. With
 * {@code -Dautodiff.simd=on} they serve without C2 too, slowly but with the same bits.
 */
public final class SimdKernelProvider implements KernelProvider {

    private static final String VECTOR_MODULE = KernelInfo.VECTOR_MODULE;
    private static final String KERNELS_CLASS = "dev.autodiff.simd.SimdKernels";
    private static final System.Logger LOG = System.getLogger(SimdKernelProvider.class.getName());

    @Override
    public Optional<Kernels> kernels() {
        Optional<String> reason = declineReason(KernelInfo.vectorModuleReadable(), KernelRegistry.simdForced() || c2Enabled());
        if (reason.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, reason.get());
            return Optional.empty();
        }
        try {
            return Optional.of((Kernels) Class.forName(KERNELS_CLASS).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "autodiff SIMD kernels failed to load (" + e + "); using scalar kernels");
            return Optional.empty();
        }
    }

    /** Why the SIMD kernels cannot serve, or empty when they can; {@code fastEnough} is false without C2. */
    static Optional<String> declineReason(boolean vectorModulePresent, boolean fastEnough) {
        if (!vectorModulePresent) {
            return Optional.of("autodiff SIMD kernels disabled: module " + VECTOR_MODULE
                    + " is not readable; run java with --add-modules " + VECTOR_MODULE + " to enable them");
        }
        if (!fastEnough) {
            return Optional.of("autodiff SIMD kernels disabled: the C2 compiler is off (-Xint or -XX:TieredStopAtLevel<4),"
                    + " and the Vector API is slower than scalar code without it; remove that flag to enable them"
                    + " (or force them with -D" + KernelRegistry.SIMD_PROPERTY + "=on)");
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
