/**
 * Training on Apache Spark: {@link dev.autodiff.spark.MlpClassifier}, a Spark ML estimator
 * that trains a multilayer perceptron data-parallel on a DataFrame's partitions
 * (synchronously, or with local SGD), and {@link dev.autodiff.spark.MlpClassificationModel},
 * the model it fits, which predicts in batches on each partition and saves its weights as a
 * safetensors state dict that our nn, the command line and PyTorch read.
 */
package dev.autodiff.spark;
