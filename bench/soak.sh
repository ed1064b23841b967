#!/usr/bin/env bash
# Soak (issue 6; not a CI test): fluxguard under dnsperf at half its maximum rate for 30 minutes
# (or the minutes given), with flux detection on and a 100,000-entry list in force, forwarding to
# a local NSD. Every minute: RSS, heap after a full GC, and the p50/p99 of fluxguard's own query
# latency over that minute (from its Prometheus histogram). Flat RSS and p99 mean no leak and no
# creeping slowdown.
#   bench/soak.sh [minutes]         needs: nsd, dnsperf, a JDK (jcmd), curl, the built jar
# Everything listens on 127.0.0.1, high ports; only processes started here are stopped (by PID).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MINUTES="${1:-30}"
NSD_PORT="${NSD_PORT:-15383}"; FG_PORT="${FG_PORT:-15385}"; ADMIN_PORT="${ADMIN_PORT:-15386}"
bench_setup soak

# The zone: 20,000 names (a third of them answering from rotating residential-looking addresses
# would need a scripted server; NSD answers statically, so flux verdicts come from the wildcard
# names' spread only where they arise) plus a wildcard for the unique-name share of the load.
awk 'BEGIN { print "$TTL 60"; print "@ IN SOA ns.soak.test. h.soak.test. 1 3600 600 86400 60"; print "@ IN NS ns.soak.test.";
             print "ns IN A 127.0.0.1"; print "* IN A 192.0.2.1";
             for (i = 0; i < 20000; i++) printf "n%05d IN A 198.51.%d.%d\n", i, (i / 250) % 256, i % 250 + 1 }' > "$WORK/soak.test.zone"
start_nsd "$NSD_PORT" soak.test

# 100,000 list entries, none of which the load asks for (the list is in force, not hit).
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "blocked%06d.example\n", i }' > "$WORK/list.txt"
printf '%s\n' 'policy:' '  lists:' '    soak:' "      path: $WORK/list.txt" > "$WORK/fluxguard.yml"

# Load: 90 % from 2,000 hot names (cache hits), 10 % unique names under the wildcard (misses).
awk 'BEGIN { srand(3); for (i = 0; i < 3000000; i++) {
       if (rand() < 0.9) printf "n%05d.soak.test A\n", int(rand() * 2000); else printf "u%x.soak.test A\n", i } }' > "$WORK/queries"

start_fluxguard "$FG_PORT" "$ADMIN_PORT" "$NSD_PORT" --config "$WORK/fluxguard.yml"

echo "finding the maximum rate (20 s)"
dnsperf -s 127.0.0.1 -p "$FG_PORT" -d "$WORK/queries" -c 8 -q 300 -l 20 > "$WORK/max.out" 2>&1 || true
MAX=$(awk '/Queries per second/ { printf "%.0f", $4 }' "$WORK/max.out")
RATE=$(( MAX / 2 ))
echo "maximum ${MAX} q/s; soaking at ${RATE} q/s for ${MINUTES} min"

buckets() { curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '/^fluxguard_query_latency_seconds_bucket\{/ {
  match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); c[le] += $NF } END { for (k in c) print k, c[k] }' | sort -g; }
quantile() { # $1 q, $2 file of "le count" deltas (cumulative, sorted)
  awk -v q="$1" '{ le[NR] = $1; c[NR] = $2 } END { total = c[NR]; if (total == 0) { print "-"; exit }
    for (i = 1; i <= NR; i++) if (c[i] >= q * total) { printf "%.2f ms", le[i] * 1000; exit } }' "$2"; }

dnsperf -s 127.0.0.1 -p "$FG_PORT" -d "$WORK/queries" -c 8 -q 300 -Q "$RATE" -l $(( MINUTES * 60 )) > "$WORK/soak.out" 2>&1 & DP=$!
PIDS+=($DP)
echo "| minute | RSS | heap after GC | queries in the minute | p50 | p99 |"
echo "|---|---|---|---|---|---|"
buckets > "$WORK/b.prev"
for minute in $(seq 1 "$MINUTES"); do
  sleep 60
  kill -0 "$FG" 2>/dev/null || { echo "fluxguard died"; exit 1; }
  buckets > "$WORK/b.now"
  join "$WORK/b.prev" "$WORK/b.now" | awk '{ print $1, $3 - $2 }' | sort -g > "$WORK/b.delta"
  heap=$(heap_after_gc "$ADMIN_PORT")
  rss=$(rss_mb)
  count=$(tail -1 "$WORK/b.delta" | awk '{ print $2 }')
  printf '| %d | %s MB | %s MB | %s | %s | %s |\n' "$minute" "$rss" "$heap" "$count" "$(quantile 0.5 "$WORK/b.delta")" "$(quantile 0.99 "$WORK/b.delta")"
  mv "$WORK/b.now" "$WORK/b.prev"
done
wait "$DP" || true
grep -E "Queries sent|Queries completed|Queries lost|Queries per second" "$WORK/soak.out" | sed 's/^ */  /'
