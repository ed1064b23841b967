package io.fluxguard.detection;

/**
 * Active confirmation: fluxguard re-asks upstream about names judged suspicious once their TTL
 * has run out, so a verdict does not wait for clients to ask again.
 *
 * @param enabled whether to re-ask at all
 * @param maxPerSecond re-queries started per second, at most
 * @param maxConcurrent re-queries in flight at once, at most
 * @param rounds re-queries per name and evidence window, at most
 * @param maxPending names waiting for their TTL to run out, at most (more are dropped)
 */
public record ConfirmationSettings(boolean enabled, int maxPerSecond, int maxConcurrent, int rounds, int maxPending) {
  public static final ConfirmationSettings DEFAULTS = new ConfirmationSettings(true, 20, 8, 3, 10_000);

  public ConfirmationSettings {
    if (maxPerSecond < 1 || maxConcurrent < 1 || rounds < 1 || maxPending < 1) {
      throw new IllegalArgumentException("confirmation limits must be positive");
    }
  }
}
