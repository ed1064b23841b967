package io.fluxguard.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionStoreTest {
  @TempDir Path dir;
  private Instant now = Instant.parse("2026-11-26T12:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  private DetectionStore open() throws Exception {
    return new DetectionStore(dir, Duration.ofDays(7), Duration.ofHours(1), clock);
  }

  @Test
  void confirm_survivesReopen_andCoversSubdomainsAndEvidenceAddresses() throws Exception {
    try (DetectionStore s = open()) {
      s.confirm("evil.top", "evil.top", 0.97, List.of("9 addresses"), List.of("192.0.2.1", "2001:db8::1"), List.of(64500))
          .get(5, TimeUnit.SECONDS);
    }
    try (DetectionStore s = open()) {
      Detection d = s.match("www.evil.top");
      assertThat(d).isNotNull();
      assertThat(d.score()).isEqualTo(0.97);
      assertThat(d.reasons()).containsExactly("9 addresses");
      assertThat(d.asns()).containsExactly(64500);
      assertThat(s.matchAddress("2001:db8::1")).isSameAs(d);
      assertThat(s.match("notevil.top")).isNull();
    }
  }

  @Test
  void match_expiresAfterTheLastConfirmation() throws Exception {
    try (DetectionStore s = open()) {
      s.confirm("evil.top", "evil.top", 0.9, List.of(), List.of(), List.of()).get(5, TimeUnit.SECONDS);
      now = now.plus(Duration.ofDays(6));
      s.confirm("evil.top", "evil.top", 0.9, List.of(), List.of(), List.of()).get(5, TimeUnit.SECONDS);
      now = now.plus(Duration.ofDays(6));
      assertThat(s.match("evil.top")).isNotNull(); // 6 days after the last confirmation
      now = now.plus(Duration.ofDays(2));
      assertThat(s.match("evil.top")).isNull();
    }
    try (DetectionStore s = open()) {
      assertThat(s.match("evil.top")).isNull();
      assertThat(s.list()).isEmpty();
    }
  }

  @Test
  void remove_isKeptAcrossReopen() throws Exception {
    try (DetectionStore s = open()) {
      s.confirm("evil.top", "evil.top", 0.9, List.of(), List.of(), List.of()).get(5, TimeUnit.SECONDS);
      s.remove("evil.top").get(5, TimeUnit.SECONDS);
    }
    try (DetectionStore s = open()) {
      assertThat(s.match("evil.top")).isNull();
    }
  }

  @Test
  void operatorRules_apiRulesKept_configRulesNotWritten() throws Exception {
    try (OperatorRules r = new OperatorRules(dir, List.of("cfg-allow.example"), List.of(), clock)) {
      r.add(OperatorRule.DENY, "bad.example", "phishing").get(5, TimeUnit.SECONDS);
      r.add(OperatorRule.ALLOW, "good.example", "").get(5, TimeUnit.SECONDS);
      r.remove(OperatorRule.ALLOW, "good.example").get(5, TimeUnit.SECONDS);
      assertThat(r.allowing("x.cfg-allow.example")).isNotNull();
    }
    try (OperatorRules r = new OperatorRules(dir, List.of(), List.of(), clock)) {
      assertThat(r.denying("www.bad.example").comment()).isEqualTo("phishing");
      assertThat(r.allowing("good.example")).isNull();
      assertThat(r.allowing("cfg-allow.example")).isNull();
    }
  }

  @Test
  void purgeExpired_forgetsExpiredDetectionsAndTheirAddresses() throws Exception {
    try (DetectionStore s = open()) {
      s.confirm("old.top", "old.top", 0.9, List.of(), List.of("192.0.2.1"), List.of()).get(5, TimeUnit.SECONDS);
      now = now.plus(Duration.ofDays(8));
      s.confirm("new.top", "new.top", 0.9, List.of(), List.of("192.0.2.2"), List.of()).get(5, TimeUnit.SECONDS);
      assertThat(s.purgeExpired()).isEqualTo(1);
      assertThat(s.size()).isEqualTo(1);
      assertThat(s.matchAddress("192.0.2.1")).isNull();
      assertThat(s.matchAddress("192.0.2.2")).isNotNull();
      s.remove("new.top").get(5, TimeUnit.SECONDS);
      assertThat(s.matchAddress("192.0.2.2")).isNull();
    }
  }
}
