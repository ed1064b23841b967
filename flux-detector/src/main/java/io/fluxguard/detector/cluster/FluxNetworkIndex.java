package io.fluxguard.detector.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Address → the registered domain of the flux network it was seen serving. Only addresses of
 * names judged flux are indexed, so a new name answering from the same pool is recognised on its
 * first answer. Bounded and expiring like the rest of the evidence.
 */
public final class FluxNetworkIndex {
  private final Cache<Long, String> networkByAddress;

  public FluxNetworkIndex(long maxAddresses, Duration window, Ticker ticker) {
    this.networkByAddress =
        Caffeine.newBuilder().maximumSize(maxAddresses).expireAfterWrite(window).ticker(ticker).build();
  }

  /** Records the addresses of a name judged flux, under its registered domain. */
  public void record(long[] addressKeys, String registeredDomain) {
    for (long k : addressKeys) {
      if (!registeredDomain.equals(networkByAddress.getIfPresent(k))) { // a read is cheaper than a write
        networkByAddress.put(k, registeredDomain);
      }
    }
  }

  /** How many of {@code addressKeys} serve a flagged network other than {@code ownDomain}, and which one most. */
  public Match match(long[] addressKeys, String ownDomain) {
    if (networkByAddress.estimatedSize() == 0) {
      return Match.NONE; // no flux network known yet: nothing to look up
    }
    Map<String, Integer> hits = null;
    for (long k : addressKeys) {
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
