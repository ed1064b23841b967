package io.fluxguard.detection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fluxguard.cache.CacheKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-asks upstream about a suspicious name once its TTL has run out, on its own thread (never an
 * event loop), so the detector sees the next answer without waiting for a client. Bounded every
 * way: one pending re-query per name, at most {@code maxPending} waiting, {@code maxPerSecond}
 * started per second, {@code maxConcurrent} in flight, {@code rounds} per name per window.
 */
public final class ActiveConfirmer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActiveConfirmer.class);

  private final ConfirmationSettings settings;
  private final DetectionEvents events;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("fluxguard-confirm", true));
  private final Map<CacheKey, Boolean> pending = new ConcurrentHashMap<>();
  private final Cache<CacheKey, Integer> roundsUsed;
  private final Semaphore inflight;
  private volatile BiFunction<CacheKey, ScheduledExecutorService, CompletableFuture<?>> refresh;
  private long windowStart; // scheduler thread only
  private int startedInWindow; // scheduler thread only

  public ActiveConfirmer(ConfirmationSettings settings, Duration window, DetectionEvents events) {
    this.settings = settings;
    this.events = events;
    this.inflight = new Semaphore(settings.maxConcurrent());
    this.roundsUsed = Caffeine.newBuilder().maximumSize(settings.maxPending() * 10L).expireAfterWrite(window).build();
  }

  /** Connects the re-query: resolve {@code key} upstream (running the detector and caching). */
  public void bind(BiFunction<CacheKey, ScheduledExecutorService, CompletableFuture<?>> refresh) {
    this.refresh = refresh;
  }

  /** A name was judged suspicious; its answer expires in {@code ttlSeconds}. */
  public void suspicious(CacheKey key, long ttlSeconds) {
    if (!settings.enabled() || refresh == null) {
      return;
    }
    Integer used = roundsUsed.getIfPresent(key);
    if (used != null && used >= settings.rounds()) {
      return;
    }
    if (pending.size() >= settings.maxPending()) {
      events.confirmation("dropped-full");
      return;
    }
    if (pending.putIfAbsent(key, Boolean.TRUE) != null) {
      return; // already waiting
    }
    roundsUsed.asMap().merge(key, 1, Integer::sum);
    events.confirmation("scheduled");
    scheduler.schedule(() -> run(key), Math.max(1, ttlSeconds) * 1000 + 100, TimeUnit.MILLISECONDS);
  }

  private void run(CacheKey key) {
    long now = System.nanoTime();
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      startedInWindow = 0;
    }
    if (startedInWindow >= settings.maxPerSecond() || !inflight.tryAcquire()) {
      // Over the rate or concurrency limit: try again shortly rather than drop.
      events.confirmation("deferred");
      scheduler.schedule(() -> run(key), 200, TimeUnit.MILLISECONDS);
      return;
    }
    startedInWindow++;
    pending.remove(key);
    events.confirmation("sent");
    try {
      refresh
          .apply(key, scheduler)
          .toCompletableFuture()
          // The upstream bound already ends every exchange; this guards the permit regardless.
          .orTimeout(30, TimeUnit.SECONDS)
          .whenComplete((r, e) -> inflight.release());
    } catch (RuntimeException e) {
      inflight.release();
      log.warn("event=confirmation-failed name={} error={}", key.name(), e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
