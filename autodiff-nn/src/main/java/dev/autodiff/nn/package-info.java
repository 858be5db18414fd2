/**
 * Layers and models as in {@code torch.nn}: {@link dev.autodiff.nn.Module} with named
 * parameters, buffers and submodules, {@link dev.autodiff.nn.Sequential},
 * {@link dev.autodiff.nn.Linear}, normalisation, dropout and activations (by name:
 * {@link dev.autodiff.nn.Activation}); the losses of {@link dev.autodiff.nn.Losses};
 * metrics; and {@link dev.autodiff.nn.Checkpoint}, which saves a model and its optimizer as
 * safetensors files that load in PyTorch.
 */
package dev.autodiff.nn;
