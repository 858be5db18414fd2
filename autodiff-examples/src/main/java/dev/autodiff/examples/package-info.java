/**
 * Small programs, each with a {@code main}, that show the engine at work: a first
 * gradient, gradient descent on a matrix, regressions, Jacobians both ways, hand-derived
 * gradients checked against autodiff, a custom op, and a classifier of spirals.
 */
package dev.autodiff.examples;
