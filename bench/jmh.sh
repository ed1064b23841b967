#!/usr/bin/env bash
# Runs fluxguard's JMH micro-benchmarks, which live with each module's tests:
#   bench/jmh.sh resolver-core CacheHitBenchmark        (cache-hit path vs a dnsjava-Message reference)
#   bench/jmh.sh flux-detector DetectorBenchmark        (observe + score one 8-address answer)
#   bench/jmh.sh flux-detector DetectorBenchmark -t 2   (the same on two threads: lock contention)
# Further arguments go to JMH (e.g. -prof gc). Compare benchmarks from the same run, not with
# numbers from another machine or day.
set -euo pipefail
cd "$(dirname "$0")/.."
module="${1:-resolver-core}"
shift || true
mvn -B -q -ntp -pl "$module" -am -DskipTests install
mvn -B -q -ntp -pl "$module" dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt >/dev/null
cp="$module/target/test-classes:$module/target/classes:$(cat "$module/target/jmh-classpath.txt")"
exec java -cp "$cp" org.openjdk.jmh.Main "${@:-.*}"
