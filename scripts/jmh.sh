#!/usr/bin/env bash
# JMH micro-benchmarks of the ring (domain/src/test/java/org/tinyice/domain/bench, *Benchmark:
# surefire never runs them). Compiles the domain module's test classes, then runs JMH's Main with
# every argument passed through:
#
#   scripts/jmh.sh -l                                   # list the benchmarks
#   scripts/jmh.sh RingPublish -f 1 -wi 2 -w 2s -i 3 -r 2s
#   scripts/jmh.sh ManyReaders -p readers=1000 -f 1 -wi 2 -w 2s -i 3 -r 2s
#   scripts/jmh.sh RingPublish -prof gc -f 1            # + allocation per op
#
# TINYICE_NO_BUILD=1 skips Maven (uses domain/target as it is); TINYICE_MVN_ARGS adds Maven flags
# (e.g. -o). The JVM runs with TINYICE_JMH_JAVA_OPTS, by default the server's own GC and heap
# (run.sh); JMH's forks inherit them. Use -jvmArgsAppend to add flags to the forks only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
target="$here/domain/target"
cp_file="$target/jmh.classpath"

if [ -z "${TINYICE_NO_BUILD:-}" ] || [ ! -f "$cp_file" ]; then
  # shellcheck disable=SC2086
  (cd "$here" && mvn -q -B ${TINYICE_MVN_ARGS:-} -pl domain test-compile dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test) >&2
fi
[ -f "$target/test-classes/META-INF/BenchmarkList" ] \
  || { echo "no JMH BenchmarkList in $target/test-classes: did the annotation processor run?" >&2; exit 1; }

JAVA_OPTS=${TINYICE_JMH_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx512m"}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -cp "$target/test-classes:$target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
