#!/usr/bin/env bash
# Runs the property-based tests with many more tries than the test suite's 1,000 per property:
#  * the parsers, in process (default 1,000,000 tries per property): random and mutated packets
#    through the query decoder, random bytes through the flux detector's wire reader;
#  * the whole server over UDP on loopback (default 200,000 tries per property, about 0.5 ms
#    each): random packets and mutated queries (PipelineFuzzTest), each checked for the outcome
#    it must get (dropped, or a well-formed answer with its ID) and the server still answering.
# Exits non-zero if any property fails.
#   bench/fuzz.sh [parser-tries] [pipeline-tries]
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-1000000}"
pipeline_tries="${2:-200000}"
mvn -B -q -ntp -DskipTests install
status=0
# run_properties LABEL TRIES MAVEN-ARGS...: runs the properties, prints jqwik's counts, remembers a failure
run_properties() {
  local label="$1" count="$2" begin
  shift 2
  begin=$(date +%s)
  if ! mvn -B -ntp "$@" -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default="$count" > "$log" 2>&1; then
    status=1
    grep -A 30 '<<< FAIL' "$log" | head -80 || true # the failing sample, as jqwik shrank it
  fi
  grep -E 'Tests run:|tries =|checks =' "$log" || true
  echo "$label: $count tries per property in $(( $(date +%s) - begin )) s$([ "$status" = 0 ] || echo ' -- FAILED, see above')"
}
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run_properties "parsers" "$tries" -pl flux-detector,resolver-core surefire:test -Dtest='QueryDecoderPropertyTest,AnswerObservationPropertyTest'
run_properties "whole server over UDP" "$pipeline_tries" -f src/test/pom.xml surefire:test -Dtest='PipelineFuzzTest'
exit "$status"
