#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: starts a Master and two Workers (one
# core each) on 127.0.0.1 from the jars in the local Maven repository (no Spark
# distribution needed), submits an application with SparkSubmit, as spark-submit does,
# and stops every process it started, by PID, however it ends. The application is
# FashionMnistBenchmark training our MlpClassifier only; arguments are passed to it:
#   autodiff-spark/scripts/cluster.sh                     # 3 epochs, local SGD with 16 steps
#   autodiff-spark/scripts/cluster.sh --epochs 1 --local-steps 1
# Logs and the Workers' folders go to autodiff-spark/target/cluster/.
source "$(dirname "$0")/env.sh"
RUN="$TARGET/cluster"
rm -rf "$RUN" && mkdir -p "$RUN/spark-home/jars"

# A SPARK_HOME whose jars/ links to the dependency jars: Workers build executor class paths from it.
tr ':' '\n' < "$TARGET/classpath.txt" | grep '\.jar$' | while read -r jar; do ln -s "$jar" "$RUN/spark-home/jars/"; done
export SPARK_HOME="$RUN/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
# Our jars go to the executors with --jars, as README.md's spark-submit line sends them;
# the application (the test programs) is the primary jar.
JARS="$(ls "$TARGET"/autodiff-spark-*.jar "$TARGET"/lib/*.jar | paste -sd,)"
"$JAVA_HOME/bin/jar" cf "$RUN/apps.jar" -C "$TARGET/test-classes" dev/autodiff/spark/apps

PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  echo "cluster: stopped ${#PIDS[@]} processes (${PIDS[*]})"
}
trap stop_all EXIT

wait_for() { # file, text
  for _ in $(seq 150); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "cluster: timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; return 1
}

"$JAVA" $SPARK_JVM_OPTS -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 7077 --webui-port 8080 > "$RUN/master.log" 2>&1 &
PIDS+=($!)
wait_for "$RUN/master.log" "I have been elected leader"
for i in 1 2; do
  "$JAVA" $SPARK_JVM_OPTS -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      spark://127.0.0.1:7077 --host 127.0.0.1 --cores 1 --memory 2g --webui-port $((8080 + i)) \
      --work-dir "$RUN/worker$i" > "$RUN/worker$i.log" 2>&1 &
  PIDS+=($!)
done
wait_for "$RUN/worker1.log" "Successfully registered with master"
wait_for "$RUN/worker2.log" "Successfully registered with master"
echo "cluster: master and 2 workers up (PIDs ${PIDS[*]})"

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--epochs 3 --local-steps 16 --mllib-iterations none --warmup false)
"$JAVA" $JVM_OPTS -Xmx4g -cp "$CLASSPATH_APP" org.apache.spark.deploy.SparkSubmit \
    --master spark://127.0.0.1:7077 --deploy-mode client \
    --conf spark.driver.host=127.0.0.1 \
    --conf spark.executor.memory=1536m \
    --conf "spark.executor.extraJavaOptions=--add-modules jdk.incubator.vector -Dautodiff.threads=1" \
    --jars "$JARS" \
    --class dev.autodiff.spark.apps.FashionMnistBenchmark "$RUN/apps.jar" "${args[@]}" 2>&1 \
  | tee "$RUN/app.log" | grep -v -E ' (INFO|WARN) |^\s+at '
