/**
 * Data for training: the {@link dev.autodiff.nn.data.Dataset} interface and an in-memory
 * {@link dev.autodiff.nn.data.TensorDataset}, a {@link dev.autodiff.nn.data.DataLoader}
 * that batches and shuffles by seed, train/validation splits, feature scaling and
 * preprocessing, and readers for IDX (MNIST) and numeric CSV files.
 */
package dev.autodiff.nn.data;
