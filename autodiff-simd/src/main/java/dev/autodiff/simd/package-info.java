/**
 * The Vector API ({@code jdk.incubator.vector}) implementation of the kernels: elementwise
 * loops, reductions, row operations and a BLIS-style matrix product, parallel over outputs
 * so that results do not depend on the thread count. Not exported: the module provides
 * {@link dev.autodiff.simd.SimdKernelProvider} as a service, which declines when the
 * vector module is not readable or C2 is off.
 */
package dev.autodiff.simd;
