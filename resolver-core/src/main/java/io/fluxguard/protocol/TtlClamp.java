package io.fluxguard.protocol;

/**
 * How record TTLs are written into a served answer: clamped to {@code [min, max]} seconds, then
 * reduced by the age of the cached copy, never below zero.
 */
public record TtlClamp(long min, long max) {
  /** No clamping: the upstream's TTLs, counted down. */
  public static final TtlClamp NONE = new TtlClamp(0, Long.MAX_VALUE);

  public TtlClamp {
    if (min < 0 || max < min) {
      throw new IllegalArgumentException("TTL clamp needs 0 <= min <= max, got min=" + min + " max=" + max);
    }
  }

  public long apply(long ttl) {
    return Math.max(min, Math.min(max, ttl));
  }

  /** The TTL to serve for a record whose upstream TTL was {@code ttl}, {@code ageSeconds} later. */
  public long served(long ttl, long ageSeconds) {
    return Math.max(0, apply(ttl) - ageSeconds);
  }
}
