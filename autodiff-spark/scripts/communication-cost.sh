#!/usr/bin/env bash
# The cost of one round of data-parallel training in local[2] (see CommunicationCost);
# run benchmark.sh once first: it writes the Parquet copy of Fashion-MNIST this reads.
source "$(dirname "$0")/env.sh"
exec "$JAVA" $JVM_OPTS -Xmx6g -cp "$CLASSPATH_APP" dev.autodiff.spark.CommunicationCost "$@"
