package dev.autodiff.kernel;

/**
 * A source of faster {@link Kernels}, found with {@link java.util.ServiceLoader}. A
 * provider that cannot serve on the running JVM says why, and {@link KernelRegistry} tells
 * the user, once, how to enable it.
 */
public interface KernelProvider {

    /** The kernels, or why they cannot run on this JVM. */
    Offer offer();

    /** Why a provider declines. */
    enum Decline {
        /** The JVM does not read the Vector API module ({@link dev.autodiff.KernelInfo#VECTOR_MODULE}). */
        VECTOR_MODULE_NOT_READABLE,
        /** The C2 compiler is off, and the Vector API is slower than scalar code without it. */
        C2_OFF,
        /** The kernels failed to load; the offer's detail says how. */
        FAILED_TO_LOAD
    }

    /**
     * What a provider offers: its kernels, or the reason it declines and a detail for the log.
     *
     * @param kernels the kernels, or null when the provider declines
     * @param decline why it declines, or null when it serves
     * @param detail what went wrong, for {@link Decline#FAILED_TO_LOAD}; else empty
     */
    record Offer(Kernels kernels, Decline decline, String detail) {
        /** An offer of kernels. */
        public static Offer of(Kernels kernels) {
            return new Offer(kernels, null, "");
        }

        /** A refusal, with a detail for the log. */
        public static Offer declined(Decline decline, String detail) {
            return new Offer(null, decline, detail);
        }
    }
}
