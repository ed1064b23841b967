package io.fluxguard.policy.match;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An immutable set of IPv4 and IPv6 networks (CIDRs; a single address is a /32 or /128), each
 * with an int value, answering "which network contains this address, longest prefix first" with
 * one table probe per prefix length in use. Build with {@link Builder}; for the same network the
 * entry added first wins.
 */
public final class AddressIndex {
  public static final int NO_MATCH = -1;

  private final HashSlots slots;
  private final int[] v4Lengths; // prefix lengths in use, longest first
  private final int[] v6Lengths;
  private final int entries;

  private AddressIndex(HashSlots slots, int[] v4Lengths, int[] v6Lengths, int entries) {
    this.slots = slots;
    this.v4Lengths = v4Lengths;
    this.v6Lengths = v6Lengths;
    this.entries = entries;
  }

  public int entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries == 0;
  }

  /** The value of the longest network containing the address (4 or 16 bytes), or {@link #NO_MATCH}. */
  public int match(byte[] address) {
    if (isV4Mapped(address)) { // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (RFC 4291 §2.5.5.2)
      address = java.util.Arrays.copyOfRange(address, 12, 16);
    }
    boolean v4 = address.length == 4;
    long high = high(address);
    long low = v4 ? 0 : low(address);
    for (int length : v4 ? v4Lengths : v6Lengths) {
      int at = slots.find(hash(v4, length, high, low), check(v4, length, high, low));
      if (at >= 0) {
        return slots.first(at);
      }
    }
    return NO_MATCH;
  }

  public int match(InetAddress address) {
    return match(address.getAddress());
  }

  private static boolean isV4Mapped(byte[] a) {
    if (a.length != 16 || a[10] != (byte) 0xFF || a[11] != (byte) 0xFF) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The address as its top 64 bits (IPv4: its 32 bits at the top). */
  private static long high(byte[] a) {
    long h = 0;
    int n = Math.min(8, a.length);
    for (int i = 0; i < n; i++) {
      h = (h << 8) | (a[i] & 0xFF);
    }
    return a.length == 4 ? h << 32 : h;
  }

  private static long low(byte[] a) {
    long l = 0;
    for (int i = 8; i < 16; i++) {
      l = (l << 8) | (a[i] & 0xFF);
    }
    return l;
  }

  private static long maskHigh(long high, int length) {
    return length == 0 ? 0 : length >= 64 ? high : high & (-1L << (64 - length));
  }

  private static long maskLow(long low, int length) {
    return length <= 64 ? 0 : length >= 128 ? low : low & (-1L << (128 - length));
  }

  private static long hash(boolean v4, int length, long high, long low) {
    long h = maskHigh(high, length) * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(maskLow(low, length) * 0xC2B2AE3D27D4EB4FL, 31);
    h ^= (length + (v4 ? 256 : 0)) * 0x165667B19E3779F9L;
    h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 32);
  }

  private static int check(boolean v4, int length, long high, long low) {
    long m = maskHigh(high, length) ^ maskLow(low, length) * 31 ^ length ^ (v4 ? 0x5bd1e995L : 0);
    return (int) (m ^ (m >>> 32)) * 0x27D4EB2D;
  }

  /** Collects networks; not thread-safe. */
  public static final class Builder {
    private final HashSlots slots;
    private final boolean[] v4Used = new boolean[33];
    private final boolean[] v6Used = new boolean[129];
    private int entries;

    public Builder(int expectedEntries) {
      this.slots = new HashSlots(expectedEntries);
    }

    /**
     * Adds a network given as text: an address ("192.0.2.1", "2001:db8::1") or a CIDR
     * ("192.0.2.0/24", "2001:db8::/32"). Host bits under the prefix are ignored.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public Builder add(String text, int value) {
      int slash = text.indexOf('/');
      String addressText = slash < 0 ? text : text.substring(0, slash);
      InetAddress address;
      try {
        address = InetAddresses.forString(addressText);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an IP address: " + addressText);
      }
      int max = address instanceof Inet4Address ? 32 : 128;
      int length = max;
      if (slash >= 0) {
        try {
          length = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a prefix length: " + text.substring(slash + 1));
        }
        if (length < 0 || length > max) {
          throw new IllegalArgumentException("prefix length must be 0.." + max + ", got " + length);
        }
      }
      return add(address.getAddress(), length, value);
    }

    /** Adds the network of {@code address} (4 or 16 bytes) with the prefix {@code length}. */
    public Builder add(byte[] address, int length, int value) {
      if (value < 0) {
        throw new IllegalArgumentException("value must not be negative, got " + value);
      }
      boolean v4 = address.length == 4;
      long high = high(address);
      long low = v4 ? 0 : low(address);
      int slot = slots.slot(hash(v4, length, high, low), check(v4, length, high, low));
      slots.setFirstIfAbsent(slot, value);
      (v4 ? v4Used : v6Used)[length] = true;
      entries++;
      return this;
    }

    public AddressIndex build() {
      slots.trim();
      return new AddressIndex(slots, lengths(v4Used), lengths(v6Used), entries);
    }

    private static int[] lengths(boolean[] used) {
      int[] out = new int[used.length];
      int n = 0;
      for (int length = used.length - 1; length >= 0; length--) {
        if (used[length]) {
          out[n++] = length;
        }
      }
      return Arrays.copyOf(out, n);
    }
  }
}
