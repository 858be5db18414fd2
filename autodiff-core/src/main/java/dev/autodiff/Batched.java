package dev.autodiff;

/**
 * How a tensor that a function sees inside {@link AD#vmap} is stored: the level of that
 * vmap call, and the physical tensor that holds the values of every example. A
 * <em>mapped</em> tensor's physical tensor has the batch axis (of length {@code size})
 * in front of the logical shape; an unmapped one's has the logical shape, its values
 * shared by every example. The physical tensor may itself be batched at an outer vmap
 * level (nested vmap).
 *
 * <p>The logical tensor and its physical tensor belong to different levels of
 * differentiation: the logical one carries the gradients and tangents of the transforms
 * called inside this vmap, the physical one those of the transforms outside it.
 */
record Batched(int level, int size, Tensor physical, boolean mapped) {}
