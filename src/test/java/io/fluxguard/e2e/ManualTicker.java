package io.fluxguard.e2e;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Cache time moved by the test, so TTL countdown is tested without sleeping. */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(System.nanoTime());

  @Override
  public long read() {
    return nanos.get();
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
