/**
 * JMH benchmarks: the kernels (matrix products, elementwise functions, softmax), SIMD
 * against scalar, and a whole training step of a multilayer perceptron, to compare with
 * PyTorch.
 */
package dev.autodiff.examples.bench;
