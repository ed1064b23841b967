#!/usr/bin/env bash
# Random-subdomain flood ("water torture"): dnsperf sends 5,000,000 unique names (or the count
# given) under a wildcard zone served by a local NSD, through fluxguard, as fast as it takes them.
# Every name gets an answer, so every one enters the cache and the flux detector's evidence. The
# JVM heap (after a full GC, via jcmd) and the process RSS are sampled before, every 30 s during,
# and after, with the bounded state's sizes (cache, tracked names) from /metrics, to show they
# stay inside their bounds (cache.max-entries 100,000; detector.max-names 1,000,000).
#   bench/flood.sh [queries]        needs: nsd, dnsperf, a JDK (jcmd), curl, the built jar
# Everything listens on 127.0.0.1, high ports; only processes started here are stopped (by PID).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
QUERIES="${1:-5000000}"
NSD_PORT="${NSD_PORT:-15373}"; FG_PORT="${FG_PORT:-15375}"; ADMIN_PORT="${ADMIN_PORT:-15376}"
bench_setup flood

printf '%s\n' '$TTL 300' '@ IN SOA ns.flood.test. h.flood.test. 1 3600 600 86400 60' '@ IN NS ns.flood.test.' \
  'ns IN A 127.0.0.1' '* IN A 192.0.2.1' > "$WORK/flood.test.zone"
start_nsd "$NSD_PORT" flood.test
echo "generating $QUERIES unique names"
awk -v n="$QUERIES" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "r%x%04x.flood.test A\n", i, int(rand() * 65536) }' > "$WORK/queries"
start_fluxguard "$FG_PORT" "$ADMIN_PORT" "$NSD_PORT"

sample() { # $1: when. Heap after a full GC, RSS, and the state sizes.
  local m heap rss
  heap=$(heap_after_gc "$ADMIN_PORT")
  rss=$(rss_mb)
  m=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics")
  printf '| %s | %s MB | %s MB | %s | %s | %s |\n' "$1" "$heap" "$rss" \
    "$(echo "$m" | awk '/^fluxguard_cache_size / { printf "%.0f", $2 }')" \
    "$(echo "$m" | awk '/^fluxguard_detector_tracked\{kind="names"/ { printf "%.0f", $2 }')" \
    "$(echo "$m" | awk '/^fluxguard_queries_total/ { s += $2 } END { printf "%.0f", s }')"
}
echo "| when | heap after GC | RSS | cache entries | tracked names | queries answered |"
echo "|---|---|---|---|---|---|"
sample "start"
dnsperf -s 127.0.0.1 -p "$FG_PORT" -d "$WORK/queries" -n 1 -c 8 -q 500 -t 5 -l 900 > "$WORK/dnsperf.out" 2>&1 & DP=$!; PIDS+=($DP)
while kill -0 "$DP" 2>/dev/null; do sleep 30; if kill -0 "$DP" 2>/dev/null; then sample "running"; fi; done
sample "after $QUERIES unique names"
grep -E "Queries sent|Queries completed|Queries lost|Queries per second" "$WORK/dnsperf.out" | sed 's/^ */  /'
