package io.fluxguard.policy.export;

import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Detections and rules the export tests share. */
final class ExportFixtures {
  static final Instant NOW = Instant.parse("2026-11-26T21:00:00Z");

  private ExportFixtures() {}

  /** A detection first seen an hour before {@link #NOW}, confirmed a minute ago, expiring in a day. */
  static Detection detection(String name, double score, List<String> reasons, List<String> addresses) {
    return new Detection(name, name, NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofMinutes(1)),
        NOW.plus(Duration.ofDays(1)), score, reasons, addresses, List.of(64500, 64501), "detector");
  }

  static Detection detection(String name, String... addresses) {
    return detection(name, 0.93, List.of("ttl 60 s", "12 addresses in 9 ASNs"), List.of(addresses));
  }

  static Detection expired(String name) {
    return new Detection(name, name, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)),
        NOW.minus(Duration.ofSeconds(1)), 0.9, List.of("old"), List.of("198.51.100.99"), List.of(), "detector");
  }

  static OperatorRule deny(String name, String comment) {
    return new OperatorRule(OperatorRule.DENY, name, NOW.minus(Duration.ofDays(7)), comment, "api");
  }

  static OperatorRule allow(String name) {
    return new OperatorRule(OperatorRule.ALLOW, name, NOW.minus(Duration.ofDays(7)), "", "config");
  }
}
