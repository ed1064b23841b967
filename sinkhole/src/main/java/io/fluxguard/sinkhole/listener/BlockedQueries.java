package io.fluxguard.sinkhole.listener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The recent sinkhole answers, per client, so that a connection to the sinkhole address can be
 * traced back to the DNS query that sent the client there.
 *
 * <p>The resolver calls {@link #record} each time it answers a client with the sinkhole; the
 * listener calls {@link #find} for each connection. Both are a hash lookup or two, safe to call
 * from any thread, including DNS event loops. Memory is bounded: at most {@code maxEntries}
 * (client, name) pairs and {@code maxEntries} clients are kept, each for {@code retention} after
 * it was last recorded.
 */
public final class BlockedQueries {
  public static final long DEFAULT_MAX_ENTRIES = 100_000;
  public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

  private record ClientName(InetAddress client, String name) {}

  private final Cache<ClientName, BlockedQuery> byName;
  private final Cache<InetAddress, BlockedQuery> latestByClient;

  /** With the default bounds and the system clock. */
  public BlockedQueries() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_RETENTION, Ticker.systemTicker());
  }

  /**
   * @param maxEntries the most (client, name) pairs kept, and the most clients
   * @param retention how long a sinkhole answer can explain a later connection
   * @param ticker the time source for {@code retention}
   */
  public BlockedQueries(long maxEntries, Duration retention, Ticker ticker) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("blocked-query max entries must be >= 1, got " + maxEntries);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("blocked-query retention must be positive, got " + retention);
    }
    Objects.requireNonNull(ticker, "ticker");
    // Maintenance on the caller, as elsewhere in fluxguard: a few hash operations, no hand-off.
    this.byName =
        Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(retention).ticker(ticker)
            .executor(Runnable::run).build();
    this.latestByClient =
        Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(retention).ticker(ticker)
            .executor(Runnable::run).build();
  }

  /**
   * Notes that {@code client} was just answered with the sinkhole for {@code name}.
   *
   * @param name the queried name, in any case, with or without the trailing dot
   * @param reason why it was blocked, shown on the block page and in the hit records
   * @param when when the answer was given
   */
  public void record(InetAddress client, String name, String reason, Instant when) {
    Objects.requireNonNull(client, "client");
    BlockedQuery query = new BlockedQuery(normalize(name), reason, when);
    byName.put(new ClientName(client, query.name()), query);
    latestByClient.put(client, query);
  }

  /**
   * The sinkhole answer that most likely sent {@code client} to the sinkhole: the one for {@code
   * host} (case and trailing dot ignored) if there is one, otherwise the client's most recent one.
   *
   * @param host the name the client connected for (HTTP Host, TLS SNI), or null if it sent none
   */
  public Optional<BlockedQuery> find(InetAddress client, String host) {
    if (host != null && !host.isEmpty()) {
      BlockedQuery exact = byName.getIfPresent(new ClientName(client, normalize(host)));
      if (exact != null) {
        return Optional.of(exact);
      }
    }
    return Optional.ofNullable(latestByClient.getIfPresent(client));
  }

  /** A DNS name as kept here: lower case, without the trailing dot. */
  static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
  }
}
