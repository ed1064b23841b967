#!/usr/bin/env bash
# Runs the property-based parser tests with a large number of tries (default 1,000,000 per
# property; the test suite runs jqwik's default of 1,000): random and mutated packets through the
# query decoder, random bytes through the flux detector's wire reader.
#   bench/fuzz.sh [tries]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-1000000}"
mvn -B -q -ntp -pl flux-detector,resolver-core -am -DskipTests install
start=$(date +%s)
mvn -B -ntp -pl flux-detector,resolver-core surefire:test \
  -Dtest='QueryDecoderPropertyTest,AnswerObservationPropertyTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$tries" | grep -E 'Tests run:|FAIL|tries|checks' || true
echo "fuzzed with $tries tries per property in $(( $(date +%s) - start )) s"
