package io.fluxguard.policy.export;

import java.util.ArrayList;
import java.util.List;

/**
 * The owner labels of an RPZ Response IP Address trigger for one address (draft-vixie-dnsop-dns-rpz,
 * "Response IP Address Trigger"): the prefix length, then the address in reverse order —
 * {@code 32.1.2.0.192.rpz-ip} for 192.0.2.1, and for IPv6 the 16-bit groups in hex with the
 * longest run of two or more zero groups written {@code zz} (as {@code ::} in RFC 5952 §4.2):
 * {@code 128.1.zz.db8.2001.rpz-ip} for 2001:db8::1.
 */
final class RpzAddressLabels {
  private RpzAddressLabels() {}

  /** The labels, relative to the zone, for a 4- or 16-byte address as a /32 or /128. */
  static String of(byte[] address) {
    List<String> parts = new ArrayList<>();
    if (address.length == 4) {
      for (byte b : address) {
        parts.add(Integer.toString(b & 0xFF));
      }
    } else {
      int[] groups = new int[8];
      for (int i = 0; i < 8; i++) {
        groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
      }
      int[] run = longestZeroRun(groups);
      for (int i = 0; i < 8; i++) {
        if (i == run[0]) {
          parts.add("zz");
          i += run[1] - 1;
        } else {
          parts.add(Integer.toHexString(groups[i]));
        }
      }
    }
    StringBuilder labels = new StringBuilder().append(address.length * 8);
    for (int i = parts.size() - 1; i >= 0; i--) {
      labels.append('.').append(parts.get(i));
    }
    return labels.append(".rpz-ip").toString();
  }

  /** {start, length} of the first longest run of at least two zero groups; start -1 if none. */
  private static int[] longestZeroRun(int[] groups) {
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups.length && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    return new int[] {bestStart, bestLength};
  }
}
