/**
 * Optimizers with exactly the updates of {@code torch.optim} (SGD, Adam, AdamW, RMSprop,
 * Adagrad), their state for checkpoints, learning-rate schedules and schedulers, and
 * gradient clipping.
 */
package dev.autodiff.nn.optim;
