package io.fluxguard.detector.asn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects address ranges, then turns them into an {@link AsnDatabase}. Where ranges overlap the
 * more specific one wins for its span and the enclosing one resumes after it ({@link
 * RangeFlattener}); ASN 0 rows ("not routed") are kept and answer 0.
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

  public AsnDatabase build() {
    List<RangeFlattener.Range> v4 = new ArrayList<>(v4Count);
    for (int i = 0; i < v4Count; i++) {
      v4.add(new RangeFlattener.Range(0, v4Start[i] & 0xFFFFFFFFL, 0, v4End[i] & 0xFFFFFFFFL, v4Asn[i], i));
    }
    List<RangeFlattener.Range> flat4 = RangeFlattener.flatten(v4);
    int[] s = new int[flat4.size()];
    int[] e = new int[flat4.size()];
    int[] a = new int[flat4.size()];
    for (int i = 0; i < flat4.size(); i++) {
      RangeFlattener.Range r = flat4.get(i);
      s[i] = (int) r.startLo;
      e[i] = (int) r.endLo;
      a[i] = r.asn;
    }
    List<RangeFlattener.Range> v6 = new ArrayList<>(v6Count);
    for (int i = 0; i < v6Count; i++) {
      v6.add(new RangeFlattener.Range(this.v6[4 * i], this.v6[4 * i + 1], this.v6[4 * i + 2], this.v6[4 * i + 3], v6Asn[i], i));
    }
    List<RangeFlattener.Range> flat6 = RangeFlattener.flatten(v6);
    int m = flat6.size();
    long[] sh = new long[m];
    long[] sl = new long[m];
    long[] eh = new long[m];
    long[] el = new long[m];
    int[] a6 = new int[m];
    for (int i = 0; i < m; i++) {
      RangeFlattener.Range r = flat6.get(i);
      sh[i] = r.startHi;
      sl[i] = r.startLo;
      eh[i] = r.endHi;
      el[i] = r.endLo;
      a6[i] = r.asn;
    }
    return new AsnDatabase(s, e, a, sh, sl, eh, el, a6, names);
  }
}
