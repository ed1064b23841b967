package io.fluxguard.acl;

import java.util.Locale;

/**
 * Per-client rate limits ({@code rate-limit:} in the configuration), on UDP queries: a client
 * (an IPv4 address, an IPv6 /64) gets a token bucket of {@code burst} queries refilled at {@code
 * perSecond}. Over it, a query is dropped, or with {@code slip} answered with TC=1 and no records
 * (as small as the query, so no amplification) so a real client retries over TCP, which is not
 * limited here (a TCP client cannot spoof its address; TCP has its own connection caps).
 *
 * @param perSecond queries per second per client; 0 turns rate limiting off
 * @param burst the bucket's size
 * @param action drop or slip
 * @param maxClients clients tracked at once (least recently seen forgotten first)
 */
public record RateLimitSettings(int perSecond, int burst, Action action, int maxClients) {
  public static final RateLimitSettings DEFAULTS = new RateLimitSettings(0, 0, Action.SLIP, 100_000);

  public boolean enabled() {
    return perSecond > 0;
  }

  /** What a query over the limit gets. */
  public enum Action {
    DROP,
    SLIP;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
