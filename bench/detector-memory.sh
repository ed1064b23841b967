#!/usr/bin/env bash
# Heap held by the flux detector for 1,000,000 tracked benign names plus a full flux-network
# index (flux-detector/src/test/java/io/fluxguard/detector/bench/DetectorMemoryBenchmark.java).
#   bench/detector-memory.sh [names]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl flux-detector -am -DskipTests install
mvn -B -q -ntp -pl flux-detector dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt >/dev/null
cp="flux-detector/target/test-classes:flux-detector/target/classes:$(cat flux-detector/target/jmh-classpath.txt)"
exec java -Xmx3g -XX:+UseParallelGC -cp "$cp" io.fluxguard.detector.bench.DetectorMemoryBenchmark "$@"
