#!/usr/bin/env bash
# Runs fluxguard's JMH micro-benchmarks (resolver-core/src/test/java/io/fluxguard/bench).
# Arguments go to JMH, e.g.:  bench/jmh.sh CacheHitBenchmark -prof gc
# Results are throughputs; compare a fluxguard benchmark with the reference benchmark of the
# same class from the same run, not with numbers from another machine or day.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl resolver-core -am -DskipTests test-compile
mvn -B -q -ntp -pl resolver-core dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt >/dev/null
cp="resolver-core/target/test-classes:resolver-core/target/classes:$(cat resolver-core/target/jmh-classpath.txt)"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-CacheHitBenchmark}"
