#!/usr/bin/env bash
# Time and heap to load the full ip-location-db ASN data (IPv4 + IPv6, about 515,000 ranges).
# Fetches the npm package @ip-location-db/asn (CC BY 4.0) into target/asn-data on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
data=target/asn-data
if [[ ! -f $data/package/asn-ipv4.csv ]]; then
  mkdir -p "$data"
  (cd "$data" && npm pack --silent @ip-location-db/asn >/dev/null && tar xzf ip-location-db-asn-*.tgz)
fi
mvn -B -q -ntp -pl flux-detector -am -DskipTests install
mvn -B -q -ntp -pl flux-detector dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt >/dev/null
cp="flux-detector/target/test-classes:flux-detector/target/classes:$(cat flux-detector/target/jmh-classpath.txt)"
exec java -Xmx1g -XX:+UseParallelGC -cp "$cp" io.fluxguard.detector.bench.AsnLoadBenchmark \
  ip-location-db-csv "$data/package/asn-ipv4.csv" "$data/package/asn-ipv6.csv"
