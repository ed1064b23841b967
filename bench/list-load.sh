#!/usr/bin/env bash
# Loads a generated list of 1,000,000 domain entries (or the count given) three times and reports
# the load time and the heap the loaded list holds (issue target: <= 3 s and <= 150 MB).
#   bench/list-load.sh [entries]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl policy -am -DskipTests install
mvn -B -q -ntp -pl policy dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="policy/target/test-classes:policy/target/classes:$(cat policy/target/bench-classpath.txt)"
exec java -Xmx2g -XX:+UseParallelGC -cp "$cp" io.fluxguard.policy.bench.ListLoadBenchmark "$@"
