package dev.autodiff.kernel;

import java.util.ServiceLoader;

/**
 * Chooses, once, the {@link Kernels} every operation uses: the first {@link KernelProvider}
 * on the class path or module path that accepts the running JVM, else the
 * {@link ScalarKernels}. {@code -Dautodiff.simd=off} forces the scalar kernels;
 * {@code -Dautodiff.simd=on} asks a provider to serve even where it would decline for speed
 * alone (the SIMD kernels without the C2 compiler, to check that every compiler tier
 * computes the same bits). Users see the choice through {@link dev.autodiff.KernelInfo}.
 */
public final class KernelRegistry {
    private KernelRegistry() {}

    /**
     * The system property that chooses the kernels: {@code off} forces the scalar ones,
     * {@code on} the SIMD ones wherever they can run at all, even slowly; unset, the SIMD
     * kernels serve where they are fast.
     */
    public static final String SIMD_PROPERTY = "autodiff.simd";

    /** Whether {@link #SIMD_PROPERTY} is {@code off}. */
    public static boolean simdOff() {
        return "off".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, ""));
    }

    /** Whether {@link #SIMD_PROPERTY} is {@code on}. */
    public static boolean simdForced() {
        return "on".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, ""));
    }

    private static final class Active {
        static final Kernels KERNELS = discover();
    }

    /** The kernels in use. */
    public static Kernels active() {
        return Active.KERNELS;
    }

    private static Kernels discover() {
        if (simdOff()) {
            return new ScalarKernels();
        }
        for (KernelProvider provider : ServiceLoader.load(KernelProvider.class)) {
            var kernels = provider.kernels();
            if (kernels.isPresent()) {
                return kernels.get();
            }
        }
        return new ScalarKernels();
    }
}
