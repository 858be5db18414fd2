/**
 * JMH benchmarks: the kernels (matrix products, elementwise functions, softmax), SIMD
 * against scalar, a whole training step of a multilayer perceptron, and inference on a
 * shared model by concurrent callers, to compare with PyTorch.
 */
package dev.autodiff.examples.bench;
