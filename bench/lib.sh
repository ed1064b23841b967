# Shared by bench/flood.sh and bench/soak.sh (sourced, not run, from the repository root).

# bench_setup NAME: checks the jar and tools, makes $WORK, and stops what was started (by PID)
# and removes $WORK on exit.
bench_setup() {
  [ -f resolver-core/target/fluxguard.jar ] || { echo "build the jar first: mvn -B -q -DskipTests package" >&2; exit 1; }
  for t in nsd dnsperf jcmd curl; do command -v "$t" >/dev/null || { echo "missing: $t" >&2; exit 1; }; done
  WORK="$(mktemp -d "/tmp/fluxguard-$1.XXXXXX")"
  PIDS=()
  trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
}

# start_nsd PORT ZONE: a local NSD on 127.0.0.1:PORT serving ZONE from $WORK/ZONE.zone, response
# rate limiting off (every query comes from 127.0.0.1).
start_nsd() {
  local port="$1" zone="$2"
  printf '%s\n' 'server:' "    ip-address: 127.0.0.1@$port" '    do-ip6: no' '    server-count: 1' '    username: ""' \
    '    chroot: ""' "    zonesdir: \"$WORK\"" '    database: ""' "    zonelistfile: \"$WORK/zone.list\"" \
    "    xfrdfile: \"$WORK/xfrd.state\"" "    xfrdir: \"$WORK\"" "    pidfile: \"$WORK/nsd.pid\"" \
    "    logfile: \"$WORK/nsd.log\"" '    rrl-ratelimit: 0' '    rrl-whitelist-ratelimit: 0' \
    'remote-control:' '    control-enable: no' 'zone:' "    name: \"$zone.\"" "    zonefile: \"$WORK/$zone.zone\"" \
    > "$WORK/nsd.conf"
  nsd -d -c "$WORK/nsd.conf" > "$WORK/nsd.out" 2>&1 &
  PIDS+=($!)
}

# start_fluxguard DNS_PORT ADMIN_PORT UPSTREAM_PORT [args...]: the built jar with a 1 GB heap;
# sets FG to its PID and returns once the admin port listens.
start_fluxguard() {
  local dns="$1" admin="$2" upstream="$3"
  shift 3
  java -Xmx1g -XX:+UseG1GC -jar resolver-core/target/fluxguard.jar "$@" --listen "127.0.0.1:$dns" \
    --upstream "127.0.0.1:$upstream" --admin-listen "127.0.0.1:$admin" --data-dir "$WORK/data" > "$WORK/fluxguard.log" 2>&1 &
  FG=$!
  PIDS+=($FG)
  for _ in $(seq 1 60); do grep -q "event=admin-listening" "$WORK/fluxguard.log" && break; sleep 0.5; done
}

# heap_after_gc ADMIN_PORT: MB of heap in use after a full GC of $FG (jcmd), from /metrics.
heap_after_gc() {
  jcmd "$FG" GC.run > /dev/null
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF } END { printf "%.0f", s / 1e6 }'
}

# rss_mb: resident memory of $FG in MB.
rss_mb() {
  awk '/VmRSS/ { printf "%.0f", $2 / 1e3 }' "/proc/$FG/status"
}
