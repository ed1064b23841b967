#!/usr/bin/env bash
# Runs the property-based tests with many more tries than the test suite's 1,000 per property:
#  * the parsers, in process (default 1,000,000 tries per property): random and mutated packets
#    through the query decoder, random bytes through the flux detector's wire reader;
#  * the whole server over UDP on loopback (default 200,000 tries per property, about 0.5 ms
#    each): random packets and mutated queries (PipelineFuzzTest), each checked for the outcome
#    it must get (dropped, or one well-formed answer with its ID) and the server still answering.
#   bench/fuzz.sh [parser-tries] [pipeline-tries]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-1000000}"
pipeline_tries="${2:-200000}"
mvn -B -q -ntp -DskipTests install
start=$(date +%s)
mvn -B -ntp -pl flux-detector,resolver-core surefire:test \
  -Dtest='QueryDecoderPropertyTest,AnswerObservationPropertyTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$tries" | grep -E 'Tests run:|FAIL|tries|checks' || true
echo "parsers: $tries tries per property in $(( $(date +%s) - start )) s"
start=$(date +%s)
mvn -B -ntp -f src/test/pom.xml surefire:test -Dtest='PipelineFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$pipeline_tries" | grep -E 'Tests run:|FAIL|tries|checks' || true
echo "whole server over UDP: $pipeline_tries tries per property in $(( $(date +%s) - start )) s"
