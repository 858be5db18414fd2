/** JMH benchmarks of the kernels: matrix products, elementwise functions and softmax, SIMD against scalar. */
package dev.autodiff.bench;
