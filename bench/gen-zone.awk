#!/usr/bin/awk -f
# Generates the authoritative zone "bench.test." for dnsperf-compare.sh.
#
# Usage: awk -v hot=1000 -v miss=20000 -f gen-zone.awk > bench.test.zone
#
# Names (all A records, TTL 3600):
#   hot00000 .. hot<hot-1>     the cache-hit working set
#   m00000   .. m<miss-1>      queried exactly once each by the cache-miss workload
# Every 250th name of each set also gets an AAAA record (a few AAAA, as in
# real zones). The SOA minimum (negative-caching TTL) is 5 s, so NXDOMAIN
# answers are cached only briefly -- the miss workload never repeats a name
# anyway.
function a(i) { return sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256) }
BEGIN {
    if (hot == "")  hot = 1000
    if (miss == "") miss = 20000
    print "$ORIGIN bench.test."
    print "$TTL 3600"
    print "@\tIN SOA ns1.bench.test. hostmaster.bench.test. ( 1 3600 600 86400 5 )"
    print "@\tIN NS ns1.bench.test."
    print "ns1\tIN A 127.0.0.1"
    for (i = 0; i < hot; i++) {
        n = sprintf("hot%05d", i)
        print n "\tIN A " a(i)
        if (i % 250 == 0) printf "%s\tIN AAAA 2001:db8::1:%x:%x\n", n, int(i / 65536), i % 65536
    }
    for (i = 0; i < miss; i++) {
        n = sprintf("m%05d", i)
        print n "\tIN A " a(100000 + i)
        if (i % 250 == 0) printf "%s\tIN AAAA 2001:db8::2:%x:%x\n", n, int(i / 65536), i % 65536
    }
}
