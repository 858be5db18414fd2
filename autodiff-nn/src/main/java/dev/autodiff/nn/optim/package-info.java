/**
 * Optimizers with exactly the updates of {@code torch.optim} (SGD, Adam, AdamW, RMSprop,
 * Adagrad), each declared once by its {@link dev.autodiff.nn.optim.OptimizerSpec} and
 * listed by name in {@link dev.autodiff.nn.optim.OptimizerKind}; their state for
 * checkpoints; learning-rate schedules, schedulers and the named presets of
 * {@link dev.autodiff.nn.optim.SchedulePreset}; and gradient clipping.
 */
package dev.autodiff.nn.optim;
