package io.fluxguard.detector.asn;

/** Addresses as primitive numbers: IPv4 as an int, IPv6 as two longs (network byte order). */
public final class IpBits {
  private IpBits() {}

  public static int v4(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  public static long high(byte[] b) {
    return half(b, 0);
  }

  public static long low(byte[] b) {
    return half(b, 8);
  }

  private static long half(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xFF);
    }
    return v;
  }
}
