package dev.autodiff.kernel;

import java.util.Optional;

/**
 * A source of faster {@link Kernels}, found with {@link java.util.ServiceLoader}. A
 * provider that cannot serve on the running JVM returns empty and logs, once, why and
 * how to enable it.
 */
public interface KernelProvider {

    /** The kernels, or empty when they cannot run on this JVM. */
    Optional<Kernels> kernels();
}
