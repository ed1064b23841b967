/**
 * What a blocked client receives — {@link io.fluxguard.sinkhole.SinkholeResponder}: sinkhole
 * A/AAAA, NXDOMAIN or NODATA with a short-TTL synthetic SOA, RPZ local data — and, in {@code
 * listener}, the sinkhole listener that records which workstations then connect (HTTP Host, TLS
 * SNI) and ties each connection to the query that sent it there.
 */
package io.fluxguard.sinkhole;
