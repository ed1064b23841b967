package io.fluxguard.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts queries between receipt and answer, so shutdown can stop taking new ones and wait for
 * the rest (SIGTERM drains). Lock-free on the query path; the monitor is used only while draining.
 */
public final class InflightQueries {
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean draining;

  /** Returns false when draining: the query must not be started. */
  public boolean begin() {
    if (draining) {
      return false;
    }
    count.incrementAndGet();
    return true;
  }

  public void end() {
    if (count.decrementAndGet() == 0 && draining) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  public int count() {
    return count.get();
  }

  public boolean draining() {
    return draining;
  }

  /** Refuses new queries and waits up to {@code grace} for the running ones; true if all ended. */
  public synchronized boolean drain(Duration grace) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (count.get() > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
