package io.fluxguard.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.protocol.ResponseTemplate;
import io.fluxguard.protocol.TtlClamp;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * Bounded cache of upstream answers, each expiring after its own TTL (clamped to the configured
 * range; negative answers per RFC 2308). Time comes from the injected {@link Ticker}.
 */
public final class ResponseCache {
  private final CacheSettings settings;
  private final Ticker ticker;
  private final Cache<CacheKey, CachedAnswer> cache;
  private final TtlClamp clamp;
  private final TtlClamp negativeClamp;

  public ResponseCache(CacheSettings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.clamp =
        settings.enabled()
            ? new TtlClamp(settings.minTtl().toSeconds(), settings.maxTtl().toSeconds())
            : TtlClamp.NONE;
    this.negativeClamp =
        settings.enabled()
            ? new TtlClamp(
                Math.min(clamp.min(), settings.maxNegativeTtl().toSeconds()),
                Math.min(clamp.max(), settings.maxNegativeTtl().toSeconds()))
            : TtlClamp.NONE;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(Math.max(1, settings.maxEntries()))
            .ticker(ticker)
            .expireAfter(new TtlExpiry())
            .build();
  }

  /** The live cached answer for {@code key}, or null. */
  public CachedAnswer get(CacheKey key) {
    if (!settings.enabled()) {
      return null;
    }
    return cache.getIfPresent(key);
  }

  /**
   * Stores {@code upstream} (already turned into {@code template}) if it may be cached, and
   * returns the entry either way so the caller serves exactly what was stored.
   */
  public CachedAnswer put(CacheKey key, Message upstream, ResponseTemplate template) {
    return put(key, upstream, template, null, null);
  }

  /** As above, keeping the detector's assessment beside the answer and which upstream ({@code upstreamLabel}) gave it. */
  public CachedAnswer put(
      CacheKey key, Message upstream, ResponseTemplate template, FluxAssessment assessment, String upstreamLabel) {
    long now = ticker.read();
    long ttl = cacheTtl(template);
    CachedAnswer answer =
        new CachedAnswer(AnswerContent.of(key.name(), upstream), template, now, Math.max(ttl, 0), assessment, upstreamLabel);
    if (settings.enabled() && ttl > 0) {
      cache.put(key, answer);
    }
    return answer;
  }

  /**
   * The TTL treatment of {@code template} when served: negative answers also respect
   * {@code max-negative-ttl}, so the SOA a client caches never outlives our own copy.
   */
  public TtlClamp clampFor(ResponseTemplate template) {
    return template.negative() ? negativeClamp : clamp;
  }

  public long now() {
    return ticker.read();
  }

  public long size() {
    return cache.estimatedSize();
  }

  /** Runs pending evictions now (tests and size reporting). */
  public void cleanUp() {
    cache.cleanUp();
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  private long cacheTtl(ResponseTemplate template) {
    long ttl = template.cacheableTtl();
    if (ttl < 0 || !settings.enabled()) {
      return -1;
    }
    return clampFor(template).apply(ttl);
  }

  private static final class TtlExpiry implements Expiry<CacheKey, CachedAnswer> {
    @Override
    public long expireAfterCreate(CacheKey key, CachedAnswer value, long currentTime) {
      return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
    }

    @Override
    public long expireAfterUpdate(
        CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
      return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
    }

    @Override
    public long expireAfterRead(
        CacheKey key, CachedAnswer value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
