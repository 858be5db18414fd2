package dev.autodiff.kernel;

import dev.autodiff.KernelInfo;

import java.util.ServiceLoader;

/**
 * Chooses, once, the {@link Kernels} every operation uses: the first {@link KernelProvider}
 * on the class path or module path that accepts the running JVM, else the
 * {@link ScalarKernels}. {@code -Dautodiff.simd=off} forces the scalar kernels;
 * {@code -Dautodiff.simd=on} asks a provider to serve even where it would decline for speed
 * alone (the SIMD kernels without the C2 compiler, to check that every compiler tier
 * computes the same bits). When the scalar kernels serve, the choice logs one line
 * ({@link System.Logger}, logger {@code dev.autodiff.kernel}) that says why and, unless they
 * were asked for, how to get the SIMD ones ({@link SimdAdvice}). Users see the choice
 * through {@link dev.autodiff.KernelInfo}.
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
        static final Kernels KERNELS = choose(ServiceLoader.load(KernelProvider.class),
                System.getProperty(SIMD_PROPERTY, ""), KernelInfo.vectorModuleReadable(),
                System.getLogger("dev.autodiff.kernel"));
    }

    /** The kernels in use. */
    public static Kernels active() {
        return Active.KERNELS;
    }

    /**
     * The kernels of the first provider that serves, or the scalar ones, in which case one
     * line goes to {@code log}: at {@code INFO} when {@code simdProperty} is {@code off},
     * else a {@code WARNING} with the reason and the fix.
     */
    static Kernels choose(Iterable<KernelProvider> providers, String simdProperty, boolean vectorModuleReadable,
                          System.Logger log) {
        if ("off".equalsIgnoreCase(simdProperty)) {
            log.log(System.Logger.Level.INFO, SimdAdvice.switchedOff());
            return new ScalarKernels();
        }
        KernelProvider.Offer declined = null;
        for (KernelProvider provider : providers) {
            KernelProvider.Offer offer = provider.offer();
            if (offer.kernels() != null) {
                return offer.kernels();
            }
            declined = declined != null ? declined : offer;
        }
        log.log(System.Logger.Level.WARNING, declined == null ? SimdAdvice.noProvider(vectorModuleReadable)
                : SimdAdvice.declined(declined.decline(), declined.detail()));
        return new ScalarKernels();
    }
}
