# Sourced by the scripts beside it: builds autodiff-spark (its jar, target/lib) and its test programs, and sets
#   JAVA          JDK 25's java
#   CLASSPATH_APP our classes and jars, Spark's jars (from the local Maven repository) and the test programs
#   JVM_OPTS      the JVM options Spark needs on JDK 17+ (as spark-submit adds them), plus the Vector API
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}"
JAVA="$JAVA_HOME/bin/java"
TARGET="$ROOT/autodiff-spark/target"
(cd "$ROOT" && mvn -B -ntp -q -pl autodiff-spark -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$TARGET/classpath.txt")
CLASSPATH_APP="$TARGET/classes:$TARGET/test-classes:$(cat "$TARGET/classpath.txt")"
SPARK_JVM_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED \
--add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
-Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
# One kernel thread per task: Spark already runs one task per core.
JVM_OPTS="$SPARK_JVM_OPTS --add-modules jdk.incubator.vector -Dautodiff.threads=1"
