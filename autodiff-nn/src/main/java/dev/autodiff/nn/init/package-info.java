/**
 * Initial values for parameters, as {@code torch.nn.init}: constants, uniform and normal
 * values, and the Xavier (Glorot) and Kaiming (He) schemes, each from a seeded generator.
 */
package dev.autodiff.nn.init;
