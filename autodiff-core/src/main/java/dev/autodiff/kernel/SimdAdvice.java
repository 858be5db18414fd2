package dev.autodiff.kernel;

import dev.autodiff.KernelInfo;

/**
 * The line {@link KernelRegistry} logs when the scalar kernels serve: which case it is and
 * how to get the SIMD kernels on each way of starting a JVM. One place for that advice; the
 * README's section "Use it as a library" has the long form.
 */
final class SimdAdvice {
    private SimdAdvice() {}

    private static final String VECTOR_MODULE = KernelInfo.VECTOR_MODULE;

    private static final String SLOWER = "autodiff: the scalar kernels serve, several times slower than the SIMD ones: ";
    private static final String ADD_MODULES = "start the JVM with --add-modules " + VECTOR_MODULE
            + ": on the java command line; in <argLine> of Maven Surefire; in MAVEN_OPTS for mvn exec:java; "
            + "in JDK_JAVA_OPTIONS for any launch; in the VM options of an IDE run configuration (on the module "
            + "path nothing is needed: dev.autodiff.simd requires " + VECTOR_MODULE + "). ";
    private static final String README = "See \"Use it as a library\" in the README.";

    static String switchedOff() {
        return "autodiff: the scalar kernels serve, as -D" + KernelRegistry.SIMD_PROPERTY + "=off asks";
    }

    /** No provider on the class path: only autodiff-core is there. */
    static String noProvider(boolean vectorModuleReadable) {
        return SLOWER + "autodiff-simd is not on the class path (only autodiff-core is). Add the dependency "
                + "dev.autodiff:autodiff-simd" + (vectorModuleReadable ? ". " : " and " + ADD_MODULES) + README;
    }

    static String declined(KernelProvider.Decline decline, String detail) {
        return switch (decline) {
            case VECTOR_MODULE_NOT_READABLE -> SLOWER + "the JVM does not read the module " + VECTOR_MODULE
                    + ", which they need. To fix it, " + ADD_MODULES + README;
            case C2_OFF -> SLOWER + "the C2 compiler is off (-Xint, or -XX:TieredStopAtLevel below 4), and the "
                    + "Vector API is slower than scalar code without it. Remove that flag to get them (or force them, "
                    + "slowly, with -D" + KernelRegistry.SIMD_PROPERTY + "=on).";
            case FAILED_TO_LOAD -> SLOWER + "autodiff-simd failed to load them (" + detail + ").";
        };
    }
}
