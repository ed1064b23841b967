package io.fluxguard.detector.evidence;

import io.fluxguard.detector.asn.IpBits;
import java.net.InetAddress;

/**
 * An address as one long: IPv4 exactly (the 32 bits, with bit 62 clear), IPv6 as its top 62 bits
 * (its /62: a home connection holds a /64 or /56, so one site counts once) with bit 62 set. The /16
 * (IPv4) or /32 (IPv6) prefix is derived from the key.
 */
public final class AddressKey {
  private static final long V6 = 1L << 62;

  private AddressKey() {}

  public static long of(InetAddress address) {
    return of(address.getAddress());
  }

  /** The key of a 4-byte (IPv4) or 16-byte (IPv6) address in network byte order. */
  public static long of(byte[] b) {
    if (b.length == 4) {
      return IpBits.v4(b) & 0xFFFFFFFFL;
    }
    return ofV6High(IpBits.high(b)); // the /62, shifted to leave room for the marker bit
  }

  /** The key of an IPv6 address given its top 64 bits. */
  public static long ofV6High(long high) {
    return (high >>> 2) | V6;
  }

  public static boolean isV6(long key) {
    return (key & V6) != 0;
  }

  /** The IPv4 /16 or IPv6 /32 the key falls in, as a tagged int. */
  public static int prefix(long key) {
    if (isV6(key)) {
      // the top 32 bits of the address sit at bits 61..30 of the key
      return (int) ((key >>> 30) & 0xFFFFFFFFL) | 1; // odd: IPv6 /32 (low bit lost, harmless)
    }
    return (int) (key >>> 16) << 1; // even: IPv4 /16
  }

  /** Text of the /16 or /32, for reasons. */
  public static String prefixText(int prefix) {
    if ((prefix & 1) == 0) {
      int p = prefix >>> 1;
      return ((p >>> 8) & 0xFF) + "." + (p & 0xFF) + ".0.0/16";
    }
    return Integer.toHexString((prefix >>> 16) & 0xFFFF) + ":" + Integer.toHexString(prefix & 0xFFFE) + "::/32";
  }
}
