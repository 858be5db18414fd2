package dev.autodiff.kernel;

import java.util.ServiceLoader;

/**
 * Chooses, once, the {@link Kernels} every operation uses: the first {@link KernelProvider}
 * on the class path or module path that accepts the running JVM, else the
 * {@link ScalarKernels}. {@code -Dautodiff.simd=off} forces the scalar kernels. Users see
 * the choice through {@link dev.autodiff.KernelInfo}.
 */
public final class KernelRegistry {
    private KernelRegistry() {}

    /** The system property that, set to {@code off}, forces the scalar kernels. */
    public static final String SIMD_PROPERTY = "autodiff.simd";

    private static final class Active {
        static final Kernels KERNELS = discover();
    }

    /** The kernels in use. */
    public static Kernels active() {
        return Active.KERNELS;
    }

    private static Kernels discover() {
        if ("off".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, ""))) {
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
