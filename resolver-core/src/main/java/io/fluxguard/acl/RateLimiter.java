package io.fluxguard.acl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Token buckets per client: IPv4 by address, IPv6 by /64 (one host holds a whole /64). Bounded
 * (Caffeine, {@code maxClients}, forgotten a minute after their last query); each bucket is
 * locked only for its own update.
 */
public final class RateLimiter {
  private final RateLimitSettings settings;
  private final Ticker ticker;
  private final Cache<Long, Bucket> v4; // by address
  private final Cache<Long, Bucket> v6; // by /64

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }
  }

  public RateLimiter(RateLimitSettings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.v4 = Caffeine.newBuilder().maximumSize(settings.maxClients()).expireAfterAccess(Duration.ofMinutes(1))
        .ticker(ticker).executor(Runnable::run).build();
    this.v6 = Caffeine.newBuilder().maximumSize(settings.maxClients()).expireAfterAccess(Duration.ofMinutes(1))
        .ticker(ticker).executor(Runnable::run).build();
  }

  /** True when {@code client} may send one more query now (taking a token). */
  public boolean admit(InetAddress client) {
    if (client == null) {
      return true;
    }
    long now = ticker.read();
    byte[] a = client.getAddress();
    Bucket b = (a.length == 4 ? v4 : v6).get(top64(a), k -> new Bucket(settings.burst(), now));
    synchronized (b) {
      double refill = (now - b.lastNanos) / 1e9 * settings.perSecond();
      b.tokens = Math.min(settings.burst(), b.tokens + refill);
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** An IPv4 address, or an IPv6 address's /64, as a number. */
  private static long top64(byte[] a) {
    long k = 0;
    for (int i = 0; i < Math.min(8, a.length); i++) {
      k = (k << 8) | (a[i] & 0xFF);
    }
    return k;
  }

  public RateLimitSettings.Action action() {
    return settings.action();
  }
}
