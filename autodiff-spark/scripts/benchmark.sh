#!/usr/bin/env bash
# Fashion-MNIST, our MlpClassifier against MLlib's MultilayerPerceptronClassifier in one
# local[2] Spark session (see FashionMnistBenchmark for the options), e.g.
#   autodiff-spark/scripts/benchmark.sh --local-steps 1,16 --mllib-iterations 20,40,60,80,100 --budget 60
# Needs Fashion-MNIST in /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist).
source "$(dirname "$0")/env.sh"
# MLlib's GEMMs go to native OpenBLAS through netlib; one thread each, as Spark runs one task per core.
export OPENBLAS_NUM_THREADS=1
exec "$JAVA" $JVM_OPTS -Xmx8g -cp "$CLASSPATH_APP" dev.autodiff.spark.apps.FashionMnistBenchmark "$@"
