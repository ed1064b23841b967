package io.fluxguard.sinkhole;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;

/**
 * What blocked clients are told ({@code sinkhole:} in the configuration).
 *
 * @param ipv4 the address A questions get (default 0.0.0.0: nowhere; set it to a host running the
 *     sinkhole listener to learn which workstations then connect)
 * @param ipv6 the address AAAA questions get (default ::)
 * @param ttl the TTL of sinkhole records
 * @param negativeTtl the TTL and MINIMUM of the synthetic SOA of NXDOMAIN and NODATA answers
 */
public record SinkholeSettings(Inet4Address ipv4, Inet6Address ipv6, Duration ttl, Duration negativeTtl) {
  public static final SinkholeSettings DEFAULTS =
      new SinkholeSettings(v4("0.0.0.0"), v6("::"), Duration.ofSeconds(60), Duration.ofSeconds(60));

  private static Inet4Address v4(String s) {
    return (Inet4Address) com.google.common.net.InetAddresses.forString(s);
  }

  private static Inet6Address v6(String s) {
    return (Inet6Address) com.google.common.net.InetAddresses.forString(s);
  }
}
