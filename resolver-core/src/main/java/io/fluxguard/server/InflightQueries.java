package io.fluxguard.server;

import java.time.Duration;

/**
 * Counts queries between receipt and answer, so shutdown can stop taking new ones and wait for
 * the rest (SIGTERM drains).
 */
public final class InflightQueries {
  private int count;
  private volatile boolean draining;

  /** Returns false when draining: the query must not be started. */
  public synchronized boolean begin() {
    if (draining) {
      return false;
    }
    count++;
    return true;
  }

  public synchronized void end() {
    if (--count == 0) {
      notifyAll();
    }
  }

  public synchronized int count() {
    return count;
  }

  public boolean draining() {
    return draining;
  }

  /** Refuses new queries and waits up to {@code grace} for the running ones; true if all ended. */
  public synchronized boolean drain(Duration grace) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
