package io.fluxguard.cache;

import java.time.Duration;

/**
 * Response cache settings.
 *
 * @param maxEntries the most answers kept; the least valuable are evicted first
 * @param minTtl the TTL floor applied to served and cached records
 * @param maxTtl the TTL ceiling; zero turns the cache off
 * @param maxNegativeTtl the ceiling for NXDOMAIN/NODATA answers (RFC 2308 §5)
 */
public record CacheSettings(long maxEntries, Duration minTtl, Duration maxTtl, Duration maxNegativeTtl) {
  public static final CacheSettings DEFAULTS =
      new CacheSettings(100_000, Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1));

  public CacheSettings {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("cache max-entries must be >= 0, got " + maxEntries);
    }
    if (minTtl.compareTo(maxTtl) > 0 && !maxTtl.isZero()) {
      throw new IllegalArgumentException(
          "cache min-ttl (" + minTtl + ") must not exceed max-ttl (" + maxTtl + ")");
    }
  }

  public boolean enabled() {
    return maxEntries > 0 && !maxTtl.isZero();
  }
}
