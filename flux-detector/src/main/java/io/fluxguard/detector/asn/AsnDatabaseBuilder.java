package io.fluxguard.detector.asn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects address ranges, then sorts them into an {@link AsnDatabase}. Where ranges overlap, the
 * later-starting (more specific) range wins for its span; ASN 0 rows ("not routed") are kept so
 * that they shadow nothing but answer 0.
 */
public final class AsnDatabaseBuilder {
  private int[] v4Start = new int[1024];
  private int[] v4End = new int[1024];
  private int[] v4Asn = new int[1024];
  private int v4Count;
  private long[] v6 = new long[4 * 256];
  private int[] v6Asn = new int[256];
  private int v6Count;
  private final Map<Integer, String> names = new HashMap<>();

  /** Adds an inclusive IPv4 range; addresses as unsigned ints. */
  public AsnDatabaseBuilder addV4(int start, int end, int asn) {
    if (Integer.compareUnsigned(start, end) > 0) {
      throw new IllegalArgumentException("range start after end");
    }
    if (v4Count == v4Start.length) {
      int n = v4Count * 2;
      v4Start = Arrays.copyOf(v4Start, n);
      v4End = Arrays.copyOf(v4End, n);
      v4Asn = Arrays.copyOf(v4Asn, n);
    }
    v4Start[v4Count] = start;
    v4End[v4Count] = end;
    v4Asn[v4Count] = asn;
    v4Count++;
    return this;
  }

  /** Adds an inclusive IPv6 range as (high, low) halves. */
  public AsnDatabaseBuilder addV6(long startHi, long startLo, long endHi, long endLo, int asn) {
    if (AsnDatabase.compare(startHi, startLo, endHi, endLo) > 0) {
      throw new IllegalArgumentException("range start after end");
    }
    if (v6Count == v6Asn.length) {
      v6 = Arrays.copyOf(v6, v6.length * 2);
      v6Asn = Arrays.copyOf(v6Asn, v6Asn.length * 2);
    }
    int i = 4 * v6Count;
    v6[i] = startHi;
    v6[i + 1] = startLo;
    v6[i + 2] = endHi;
    v6[i + 3] = endLo;
    v6Asn[v6Count] = asn;
    v6Count++;
    return this;
  }

  public AsnDatabaseBuilder name(int asn, String name) {
    if (asn != 0 && name != null && !name.isBlank()) {
      names.putIfAbsent(asn, name);
    }
    return this;
  }

  public boolean hasName(int asn) {
    return names.containsKey(asn);
  }

  public int size() {
    return v4Count + v6Count;
  }

  private static boolean isSorted(long[] a) {
    for (int i = 1; i < a.length; i++) {
      if (a[i - 1] > a[i]) {
        return false;
      }
    }
    return true;
  }

  public AsnDatabase build() {
    // Sort IPv4 ranges by unsigned start through an index permutation packed into longs.
    long[] order = new long[v4Count];
    for (int i = 0; i < v4Count; i++) {
      order[i] = ((v4Start[i] & 0xFFFFFFFFL) << 31) | i;
    }
    if (!isSorted(order)) { // the published files are sorted already
      Arrays.sort(order);
    }
    int[] s = new int[v4Count];
    int[] e = new int[v4Count];
    int[] a = new int[v4Count];
    int n = 0;
    for (long packed : order) {
      int i = (int) (packed & 0x7FFFFFFFL);
      if (n > 0 && Integer.compareUnsigned(v4Start[i], e[n - 1]) <= 0) {
        // Overlap: the earlier range is cut short before the later one begins.
        if (v4Start[i] == s[n - 1]) {
          n--;
        } else {
          e[n - 1] = v4Start[i] - 1;
        }
      }
      s[n] = v4Start[i];
      e[n] = v4End[i];
      a[n] = v4Asn[i];
      n++;
    }
    Integer[] idx6 = new Integer[v6Count];
    boolean sorted6 = true;
    for (int i = 0; i < v6Count; i++) {
      idx6[i] = i;
      if (i > 0 && AsnDatabase.compare(v6[4 * (i - 1)], v6[4 * (i - 1) + 1], v6[4 * i], v6[4 * i + 1]) > 0) {
        sorted6 = false;
      }
    }
    if (!sorted6) {
      Arrays.sort(idx6, (x, y) -> AsnDatabase.compare(v6[4 * x], v6[4 * x + 1], v6[4 * y], v6[4 * y + 1]));
    }
    long[] sh = new long[v6Count];
    long[] sl = new long[v6Count];
    long[] eh = new long[v6Count];
    long[] el = new long[v6Count];
    int[] a6 = new int[v6Count];
    int m = 0;
    for (int i : idx6) {
      long startHi = v6[4 * i];
      long startLo = v6[4 * i + 1];
      if (m > 0 && AsnDatabase.compare(startHi, startLo, eh[m - 1], el[m - 1]) <= 0) {
        if (startHi == sh[m - 1] && startLo == sl[m - 1]) {
          m--;
        } else {
          // end of previous = start - 1 (128-bit)
          eh[m - 1] = startLo == 0 ? startHi - 1 : startHi;
          el[m - 1] = startLo - 1;
        }
      }
      sh[m] = startHi;
      sl[m] = startLo;
      eh[m] = v6[4 * i + 2];
      el[m] = v6[4 * i + 3];
      a6[m] = v6Asn[i];
      m++;
    }
    return new AsnDatabase(
        Arrays.copyOf(s, n), Arrays.copyOf(e, n), Arrays.copyOf(a, n),
        Arrays.copyOf(sh, m), Arrays.copyOf(sl, m), Arrays.copyOf(eh, m), Arrays.copyOf(el, m), Arrays.copyOf(a6, m),
        names);
  }
}
