package io.fluxguard.detector.asn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Map;

/**
 * IP address to autonomous system number, by binary search over sorted primitive arrays: no
 * allocation per lookup. Ranges do not overlap (the builder resolves overlaps in favour of the
 * more specific range). ASN 0 means "not routed" or unknown.
 */
public final class AsnDatabase {
  private static final AsnDatabase EMPTY =
      new AsnDatabase(new int[0], new int[0], new int[0], new long[0], new long[0], new long[0], new long[0], new int[0], Map.of());

  // IPv4: inclusive ranges [start, end] as unsigned ints, sorted by start.
  private final int[] v4Start;
  private final int[] v4End;
  private final int[] v4Asn;
  // IPv6: inclusive ranges as (high, low) 64-bit halves, unsigned, sorted by start.
  private final long[] v6StartHi;
  private final long[] v6StartLo;
  private final long[] v6EndHi;
  private final long[] v6EndLo;
  private final int[] v6Asn;
  private final Map<Integer, String> names;

  AsnDatabase(
      int[] v4Start, int[] v4End, int[] v4Asn,
      long[] v6StartHi, long[] v6StartLo, long[] v6EndHi, long[] v6EndLo, int[] v6Asn,
      Map<Integer, String> names) {
    this.v4Start = v4Start;
    this.v4End = v4End;
    this.v4Asn = v4Asn;
    this.v6StartHi = v6StartHi;
    this.v6StartLo = v6StartLo;
    this.v6EndHi = v6EndHi;
    this.v6EndLo = v6EndLo;
    this.v6Asn = v6Asn;
    // A HashMap: Map.copyOf probes linearly on Integer keys and takes seconds for 80,000 ASNs.
    this.names = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(names));
  }

  /** A database that knows no address; lookups return 0. */
  public static AsnDatabase empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return v4Start.length == 0 && v6StartHi.length == 0;
  }

  /** Number of IPv4 plus IPv6 ranges. */
  public int size() {
    return v4Start.length + v6StartHi.length;
  }

  /** The ASN of an IPv4 address given as a (signed) int, or 0. */
  public int lookupV4(int address) {
    int lo = 0;
    int hi = v4Start.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Integer.compareUnsigned(v4Start[mid], address) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found >= 0 && Integer.compareUnsigned(address, v4End[found]) <= 0) {
      return v4Asn[found];
    }
    return 0;
  }

  /** The ASN of an IPv6 address given as two 64-bit halves, or 0. */
  public int lookupV6(long high, long low) {
    int lo = 0;
    int hi = v6StartHi.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(v6StartHi[mid], v6StartLo[mid], high, low) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found >= 0 && compare(high, low, v6EndHi[found], v6EndLo[found]) <= 0) {
      return v6Asn[found];
    }
    return 0;
  }

  /** The ASN of {@code address}, or 0. */
  public int lookup(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return lookupV4(IpBits.v4(b));
    }
    if (address instanceof Inet6Address) {
      return lookupV6(IpBits.high(b), IpBits.low(b));
    }
    return 0;
  }

  /** The name the database gives an ASN ("Cloudflare, Inc."), or null. */
  public String name(int asn) {
    return names.get(asn);
  }

  static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  @Override
  public String toString() {
    return "AsnDatabase[v4=" + v4Start.length + ", v6=" + v6StartHi.length + "]";
  }
}
