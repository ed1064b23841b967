package io.fluxguard.detector.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Address → the registered domain of the flux network it was seen serving. Only addresses of
 * names judged flux are indexed, so a new name answering from the same pool is recognised on its
 * first answer. Bounded and expiring like the rest of the evidence.
 */
public final class FluxNetworkIndex {
  private final Cache<Long, String> networkByAddress;
  private final long maxAddresses;
  // A one-hash Bloom filter over the indexed addresses, so the common answer (none of its
  // addresses indexed) costs a few bit tests instead of a cache lookup per address. Bits are set
  // when an address is recorded and never cleared, so the filter is rebuilt from the index once
  // it has seen twice the index's capacity in insertions.
  private volatile AtomicLongArray filter;
  private long insertionsSinceRebuild;

  public FluxNetworkIndex(long maxAddresses, Duration window, Ticker ticker) {
    this.maxAddresses = maxAddresses;
    this.networkByAddress =
        Caffeine.newBuilder().maximumSize(maxAddresses).expireAfterWrite(window).ticker(ticker).executor(Runnable::run).build();
    this.filter = new AtomicLongArray(filterWords(maxAddresses));
  }

  /** Eight bits per indexed address at capacity (a power of two): about 12 % false positives when full. */
  private static int filterWords(long maxAddresses) {
    long bits = Long.highestOneBit(Math.max(64, Math.min(maxAddresses * 8, 1L << 30)) - 1) << 1;
    return (int) (bits >>> 6);
  }

  private static int bit(long key, int words) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) ((h ^ (h >>> 31)) & ((long) words * 64 - 1));
  }

  private boolean mayContain(AtomicLongArray f, long key) {
    int b = bit(key, f.length());
    return (f.get(b >>> 6) & (1L << (b & 63))) != 0;
  }

  /**
   * Records the addresses of a name judged flux, under its registered domain. Rare (only flux
   * answers with new addresses), so recorders take turns; lookups never wait.
   */
  public synchronized void record(long[] addressKeys, String registeredDomain) {
    AtomicLongArray f = filter;
    for (long k : addressKeys) {
      if (!registeredDomain.equals(networkByAddress.getIfPresent(k))) { // a read is cheaper than a write
        networkByAddress.put(k, registeredDomain);
        int b = bit(k, f.length());
        f.getAndUpdate(b >>> 6, w -> w | (1L << (b & 63)));
        insertionsSinceRebuild++;
      }
    }
    if (insertionsSinceRebuild > 2 * maxAddresses) {
      rebuildFilter();
    }
  }

  /** A fresh filter from the addresses indexed now (evicted and expired ones drop out). */
  private void rebuildFilter() {
    networkByAddress.cleanUp();
    AtomicLongArray f = new AtomicLongArray(filter.length());
    for (Long k : networkByAddress.asMap().keySet()) {
      int b = bit(k, f.length());
      f.getAndUpdate(b >>> 6, w -> w | (1L << (b & 63)));
    }
    filter = f;
    insertionsSinceRebuild = 0;
  }

  /** How many of {@code addressKeys} serve a flagged network other than {@code ownDomain}, and which one most. */
  public Match match(long[] addressKeys, String ownDomain) {
    if (networkByAddress.estimatedSize() == 0) {
      return Match.NONE; // no flux network known yet: nothing to look up
    }
    Map<String, Integer> hits = null;
    AtomicLongArray f = filter;
    for (long k : addressKeys) {
      if (!mayContain(f, k)) {
        continue;
      }
      String network = networkByAddress.getIfPresent(k);
      if (network != null && !network.equals(ownDomain)) {
        if (hits == null) {
          hits = new HashMap<>(4);
        }
        hits.merge(network, 1, Integer::sum);
      }
    }
    if (hits == null) {
      return Match.NONE;
    }
    Map.Entry<String, Integer> best = null;
    int total = 0;
    for (Map.Entry<String, Integer> e : hits.entrySet()) {
      total += e.getValue();
      if (best == null || e.getValue() > best.getValue()) {
        best = e;
      }
    }
    return new Match(total, best.getKey());
  }

  public long size() {
    return networkByAddress.estimatedSize();
  }

  /** Shared addresses and the network most of them belong to. */
  public record Match(int shared, String network) {
    public static final Match NONE = new Match(0, null);
  }
}
