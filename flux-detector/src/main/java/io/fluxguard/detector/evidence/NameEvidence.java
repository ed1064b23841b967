package io.fluxguard.detector.evidence;

import java.util.Arrays;

/**
 * What has been seen of one name (or one registered domain) within the evidence window: its
 * addresses (exact up to a limit, then counted by a sketch), how its answers change, its TTLs,
 * and for double flux its name servers. Compact by design (primitive arrays grown on demand):
 * one of these exists for every name fluxguard has resolved.
 *
 * <p>Not thread-safe; callers synchronise on the instance.
 */
public final class NameEvidence {
  private final short exactLimit;
  // What is known of the name regardless of its answers, worked out once when it is first seen:
  // where its registered domain starts in it, the CDN whose suffix it is under, its pool reason.
  private short domainStart = -1;
  private short cdnOrganisation = -1;
  private String poolReason;
  private boolean flagged; // a flux verdict was given; its addresses are in the flux-network index
  private final int firstSeen;
  private int lastSeen;
  private int answers;
  private int changes;
  private int earlyChanges;
  private int firstAnswerSize;
  private long lastSetHash;
  private int lastAnswerAt;
  private int lastTtl;
  private int ttlMin = Integer.MAX_VALUE;
  private int ttl1 = -1; // the three most recent TTLs, for the median
  private int ttl2 = -1;
  private long[] addresses = new long[0]; // sorted, exact
  private long[] networks; // per exact address, in arrival order: network << 32 | organisation
  private int distinctNetworks;
  private int distinctOrganisations;
  private int distinctPrefixes;
  private int listedAddresses;
  private double prefixCLogC; // Σ c·ln c over prefixes, for the entropy of addresses over prefixes
  private CardinalitySketch sketch; // once the exact set is full
  private volatile NameServers nameServerEvidence; // only for domains that carried NS sets

  /** Double-flux evidence, kept apart because few names ever have it. */
  private static final class NameServers {
    int[] names; // hashes of NS names, sorted
    int changes;
    long lastSetHash;
    long[] glue = new long[0]; // glue address keys, sorted
  }

  public NameEvidence(int exactLimit, int nowSeconds) {
    if (exactLimit < 1 || exactLimit > Short.MAX_VALUE) {
      throw new IllegalArgumentException("exact address limit must be 1..32767, got " + exactLimit);
    }
    this.exactLimit = (short) exactLimit;
    this.firstSeen = nowSeconds;
    this.lastSeen = nowSeconds;
  }

  /**
   * Records one answer's address set.
   *
   * @param keys address keys ({@link AddressKey}) of the answer's A/AAAA records
   * @param ttl the smallest TTL of those records, in seconds
   * @param now seconds on the detector's clock
   * @return how many of the addresses were new
   */
  public int recordAnswer(long[] keys, int ttl, int now) {
    return recordAnswer(keys, ttl, now, null);
  }

  /**
   * As {@link #recordAnswer(long[], int, int)}, classifying each new exact address once so the
   * network, organisation and prefix tallies are kept as it arrives.
   */
  public int recordAnswer(long[] keys, int ttl, int now, AddressClassifier classifier) {
    long setHash = setHash(keys);
    if (answers > 0 && setHash != lastSetHash) {
      changes++;
      if (now < lastAnswerAt + lastTtl) {
        earlyChanges++; // rotated while the previous answer was still valid
      }
    }
    int added = 0;
    for (long k : keys) {
      if (addAddress(k, classifier)) {
        added++;
      }
    }
    if (answers == 0) {
      firstAnswerSize = keys.length;
    }
    answers++;
    lastSetHash = setHash;
    lastAnswerAt = now;
    if (answers > 1) { // keep the previous two TTLs beside the new one
      ttl2 = ttl1;
      ttl1 = lastTtl;
    }
    lastTtl = ttl;
    lastSeen = now;
    ttlMin = Math.min(ttlMin, ttl);
    return added;
  }

  /** Records the NS names (as hashes) and glue address keys seen for a domain. */
  public void recordNameServers(int[] nsHashes, long[] glueKeys, int now) {
    int[] sorted = nsHashes.clone();
    Arrays.sort(sorted);
    long h = 1;
    for (int x : sorted) {
      h = h * 31 + x;
    }
    NameServers ns = nameServerEvidence;
    boolean first = ns == null;
    if (first) {
      ns = new NameServers(); // filled in before it is published: scorers read it unlocked
    } else if (h != ns.lastSetHash) {
      ns.changes++;
    }
    ns.lastSetHash = h;
    ns.names = union(ns.names, sorted);
    for (long g : glueKeys) {
      ns.glue = insert(ns.glue, g, 64);
    }
    if (first) {
      nameServerEvidence = ns;
    }
    lastSeen = now;
  }

  private boolean addAddress(long key, AddressClassifier classifier) {
    if (sketch != null) {
      sketch.add(key);
      return Arrays.binarySearch(addresses, key) < 0; // approximate once sketching
    }
    int i = Arrays.binarySearch(addresses, key);
    if (i >= 0) {
      return false;
    }
    if (addresses.length >= exactLimit) {
      sketch = new CardinalitySketch();
      for (long a : addresses) {
        sketch.add(a);
      }
      sketch.add(key);
      return true;
    }
    long[] grown = insert(addresses, key, exactLimit);
    if (classifier != null) {
      tally(key, grown, classifier);
    }
    addresses = grown;
    return true;
  }

  /** Updates the distinct counts and prefix entropy for one new exact address. */
  private void tally(long key, long[] withKey, AddressClassifier classifier) {
    int network = classifier.network(key);
    int organisation = classifier.organisation(network);
    boolean newNetwork = true;
    boolean newOrganisation = true;
    int n = networks == null ? 0 : networks.length;
    for (int j = 0; j < n; j++) {
      long packed = networks[j];
      newNetwork &= (int) (packed >>> 32) != network;
      newOrganisation &= (int) packed != organisation;
    }
    long[] grown = networks == null ? new long[1] : java.util.Arrays.copyOf(networks, n + 1);
    grown[n] = ((long) network << 32) | (organisation & 0xFFFFFFFFL);
    networks = grown;
    distinctNetworks += newNetwork ? 1 : 0;
    distinctOrganisations += newOrganisation ? 1 : 0;
    listedAddresses += classifier.listed(organisation) ? 1 : 0;
    int prefix = AddressKey.prefix(key);
    int before = 0; // addresses already in this prefix
    for (long a : withKey) {
      if (a != key && AddressKey.prefix(a) == prefix) {
        before++;
      }
    }
    if (before == 0) {
      distinctPrefixes++;
    } else {
      prefixCLogC -= before * Math.log(before);
    }
    prefixCLogC += (before + 1) * Math.log(before + 1);
  }

  /**
   * Remembers the name's facts (set once, before the evidence is shared).
   *
   * @param domainStart where the registered domain starts in the name, or -1 when it is not a
   *     suffix of the name as written
   */
  public NameEvidence withFacts(int domainStart, int cdnOrganisation, String poolReason) {
    this.domainStart = (short) domainStart;
    this.cdnOrganisation = (short) cdnOrganisation;
    this.poolReason = poolReason;
    return this;
  }

  public int domainStart() {
    return domainStart;
  }

  public int cdnOrganisation() {
    return cdnOrganisation;
  }

  public String poolReason() {
    return poolReason;
  }

  /** Marks the evidence as judged flux; true the first time. */
  public boolean markFlagged() {
    boolean first = !flagged;
    flagged = true;
    return first;
  }

  /** Distinct networks (ASNs, or prefixes standing in) among the exact addresses. */
  public int distinctNetworks() {
    return distinctNetworks;
  }

  public int distinctOrganisations() {
    return distinctOrganisations;
  }

  public int distinctPrefixes() {
    return distinctPrefixes;
  }

  public int listedAddresses() {
    return listedAddresses;
  }

  /** Entropy of the exact addresses over their prefixes, over ln(addresses): 1 when all differ. */
  public double prefixEntropy() {
    int n = networks == null ? 0 : networks.length;
    if (n <= 1) {
      return 0;
    }
    return (Math.log(n) - prefixCLogC / n) / Math.log(n);
  }

  /** Exact addresses classified so far. */
  public int classifiedAddresses() {
    return networks == null ? 0 : networks.length;
  }

  private static long[] insert(long[] sorted, long key, int limit) {
    int i = Arrays.binarySearch(sorted, key);
    if (i >= 0 || sorted.length >= limit) {
      return sorted;
    }
    int at = -i - 1;
    long[] grown = new long[sorted.length + 1];
    System.arraycopy(sorted, 0, grown, 0, at);
    grown[at] = key;
    System.arraycopy(sorted, at, grown, at + 1, sorted.length - at);
    return grown;
  }

  private static int[] union(int[] a, int[] sortedB) {
    if (a == null) {
      a = new int[0];
    }
    int[] out = Arrays.copyOf(a, a.length + sortedB.length);
    int n = a.length;
    for (int x : sortedB) {
      if (Arrays.binarySearch(a, x) < 0) {
        out[n++] = x;
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    int d = 0; // drop duplicate hashes within the new set, then cap
    for (int i = 0; i < out.length; i++) {
      if (i == 0 || out[i] != out[i - 1]) {
        out[d++] = out[i];
      }
    }
    return Arrays.copyOf(out, Math.min(d, 64));
  }

  /** Order-independent hash of an answer's address set. */
  static long setHash(long[] keys) {
    long sum = 0;
    long xor = 0;
    for (long k : keys) {
      long m = k * 0x9E3779B97F4A7C15L;
      sum += m;
      xor ^= Long.rotateLeft(m, 29);
    }
    return sum ^ xor ^ keys.length;
  }

  /** Distinct addresses: exact, or the sketch's estimate (never below the exact count). */
  public long distinctAddresses() {
    return sketch == null ? addresses.length : Math.max(addresses.length, sketch.estimate());
  }

  /** The addresses kept exactly (all of them until the limit), sorted. Do not modify. */
  public long[] exactAddresses() {
    return addresses;
  }

  public int answers() {
    return answers;
  }

  public int changes() {
    return changes;
  }

  public int earlyChanges() {
    return earlyChanges;
  }

  public int firstAnswerSize() {
    return firstAnswerSize;
  }

  public int ttlMin() {
    return answers == 0 ? 0 : ttlMin;
  }

  /** Median of the three most recent TTLs (fewer at first). */
  public int ttlMedian() {
    if (answers == 0) {
      return 0;
    }
    if (ttl1 < 0) {
      return lastTtl;
    }
    if (ttl2 < 0) {
      return Math.min(lastTtl, ttl1); // of two, the lower
    }
    return Math.max(Math.min(lastTtl, ttl1), Math.min(Math.max(lastTtl, ttl1), ttl2));
  }

  public int nameServerCount() {
    return nameServerEvidence == null ? 0 : nameServerEvidence.names.length;
  }

  public int nameServerChanges() {
    return nameServerEvidence == null ? 0 : nameServerEvidence.changes;
  }

  public long[] glueAddresses() {
    return nameServerEvidence == null ? new long[0] : nameServerEvidence.glue;
  }

  public int firstSeen() {
    return firstSeen;
  }

  public int lastSeen() {
    return lastSeen;
  }
}
