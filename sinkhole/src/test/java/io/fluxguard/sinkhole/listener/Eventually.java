package io.fluxguard.sinkhole.listener;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread makes true, failing after a short deadline. */
final class Eventually {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private Eventually() {}

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
