package io.fluxguard.policy.export;

import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** What every export lists, in which order, and how it writes times and scores. */
final class ExportItems {
  /** UTC with a {@code Z} and exactly three fraction digits: STIX 2.1 §2.15 and ISO 8601 alike. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ExportItems() {}

  /** The detections still in force at {@code now}, sorted by name. */
  static List<Detection> liveDetections(List<Detection> detections, Instant now) {
    Objects.requireNonNull(now, "now");
    return detections.stream()
        .filter(d -> !d.expiredAt(now))
        .sorted(Comparator.comparing(Detection::name))
        .toList();
  }

  /** The deny rules, sorted by name; allow rules are local exemptions and are not shared. */
  static List<OperatorRule> denyRules(List<OperatorRule> rules) {
    return rules.stream()
        .filter(r -> OperatorRule.DENY.equals(r.kind()))
        .sorted(Comparator.comparing(OperatorRule::name))
        .toList();
  }

  static Instant millis(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS);
  }

  static String timestamp(Instant t) {
    return TIMESTAMP.format(millis(t));
  }

  static String score(double score) {
    return String.format(Locale.ROOT, "%.3f", score);
  }
}
