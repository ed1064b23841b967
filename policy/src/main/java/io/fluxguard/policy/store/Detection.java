package io.fluxguard.policy.store;

import java.time.Instant;
import java.util.List;

/**
 * A name judged fast flux, kept so the block holds across restarts and after the evidence window:
 * it covers the name and every name under it until it expires ({@code policy.detection-expiry}
 * after the last answer that confirmed it).
 *
 * @param name the name judged (the holder of the addresses, or its registered domain)
 * @param registeredDomain its registered domain
 * @param firstSeen the first flux verdict
 * @param lastSeen the latest answer that confirmed it
 * @param expires when the block lapses
 * @param score the latest score
 * @param reasons the detector's reasons, as the analyst reads them
 * @param addresses evidence addresses (text)
 * @param asns their ASNs, where known
 * @param source who made it: {@code detector}, or {@code operator} once confirmed by hand
 */
public record Detection(
    String name,
    String registeredDomain,
    Instant firstSeen,
    Instant lastSeen,
    Instant expires,
    double score,
    List<String> reasons,
    List<String> addresses,
    List<Integer> asns,
    String source) {

  public Detection {
    reasons = List.copyOf(reasons);
    addresses = List.copyOf(addresses);
    asns = List.copyOf(asns);
  }

  public boolean expiredAt(Instant now) {
    return !expires.isAfter(now);
  }
}
