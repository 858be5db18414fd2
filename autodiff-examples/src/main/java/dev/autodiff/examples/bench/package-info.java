/** JMH benchmark of a whole training step of a multilayer perceptron, to compare with PyTorch. */
package dev.autodiff.examples.bench;
