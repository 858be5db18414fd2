/**
 * The kernel service interface: every numeric loop of the framework behind
 * {@link dev.autodiff.kernel.Kernels}, the scalar reference implementation, and the
 * {@link dev.autodiff.kernel.KernelProvider} through which {@code autodiff-simd} plugs in
 * its Vector API kernels. The module exports this package to {@code dev.autodiff.simd}
 * only; users read {@link dev.autodiff.KernelInfo} instead.
 */
package dev.autodiff.kernel;
