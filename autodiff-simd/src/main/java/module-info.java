/**
 * The Vector API kernels. This module exports nothing: it provides the kernels to
 * {@code dev.autodiff.core} as a service, found at the first operation. It requires
 * {@code jdk.incubator.vector}, so on the module path the JVM resolves the vector module by
 * itself; on the class path this descriptor is ignored and the JVM needs
 * {@code --add-modules jdk.incubator.vector}, without which the provider declines and
 * the scalar kernels serve.
 */
module dev.autodiff.simd {
    requires dev.autodiff.core;
    requires jdk.incubator.vector;
    requires java.management; // to tell whether C2 is on from the JVM's flags

    provides dev.autodiff.kernel.KernelProvider with dev.autodiff.simd.SimdKernelProvider;
}
