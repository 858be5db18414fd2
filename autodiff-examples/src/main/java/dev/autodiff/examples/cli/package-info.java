/**
 * The {@code autodiff} command-line tool ({@code ./autodiff train}, {@code eval},
 * {@code info}): trains a multilayer perceptron on a data set, saves and evaluates
 * checkpoints, and reports which kernels serve.
 */
package dev.autodiff.examples.cli;
