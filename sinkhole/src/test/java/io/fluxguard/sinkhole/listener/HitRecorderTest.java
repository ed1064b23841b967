package io.fluxguard.sinkhole.listener;

import static io.fluxguard.sinkhole.listener.BlockedQueriesTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HitRecorderTest {
  private static final Instant T = Instant.parse("2025-05-02T09:00:00Z");

  private final BlockedQueries blocked = new BlockedQueries();
  private final SinkholeHits hits = new SinkholeHits(100, null);
  private final HitRecorder recorder = new HitRecorder(blocked, hits, Clock.fixed(T, ZoneOffset.UTC));
  private final Logger hitLog = (Logger) LoggerFactory.getLogger(HitRecorder.LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    logged.start();
    hitLog.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    hitLog.detachAppender(logged);
  }

  @Test
  void record_joinsTheBlockedQueryKeepsAndReturnsTheHit() {
    blocked.record(address("10.0.0.9"), "evil.example", "fast flux", T.minusSeconds(2));

    SinkholeHit hit = recorder.record(new InetSocketAddress("10.0.0.9", 50000),
        new InetSocketAddress("10.9.9.9", 443), SinkholeProtocol.TLS, "Evil.Example.");

    assertThat(hit).isEqualTo(new SinkholeHit(T, address("10.0.0.9"), 50000, 443, SinkholeProtocol.TLS,
        "evil.example", "evil.example", T.minusSeconds(2), "fast flux"));
    assertThat(hits.list(null, null, null, null, 10)).containsExactly(hit);
  }

  @Test
  void record_logsOneKeyValueLineAtInfo() {
    blocked.record(address("10.0.0.9"), "evil.example", "fast flux, score \"0.97\"", T);

    recorder.record(new InetSocketAddress("10.0.0.9", 50000), new InetSocketAddress("10.9.9.9", 80),
        SinkholeProtocol.HTTP, "evil.example");

    assertThat(logged.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(e.getFormattedMessage()).isEqualTo("event=sinkhole-hit client=10.0.0.9 port=50000 "
          + "protocol=http host=evil.example name=evil.example reason=\"fast flux, score '0.97'\"");
    });
  }

  @Test
  void record_unknownClient_logsDashes() {
    recorder.record(new InetSocketAddress("10.0.0.8", 1), new InetSocketAddress("10.9.9.9", 443),
        SinkholeProtocol.TLS, null);

    assertThat(logged.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
        .isEqualTo("event=sinkhole-hit client=10.0.0.8 port=1 protocol=tls host=- name=- reason=\"\"");
  }

  @Test
  void cleanHost_networkText_madeSafeToShow() {
    assertThat(HitRecorder.cleanHost(" Evil.Example. ")).isEqualTo("evil.example");
    assertThat(HitRecorder.cleanHost("a b\n\u00e9.example")).isEqualTo("a?b??.example");
    assertThat(HitRecorder.cleanHost("x".repeat(400))).hasSize(HitRecorder.MAX_HOST_LENGTH);
    assertThat(HitRecorder.cleanHost(".")).isNull();
    assertThat(HitRecorder.cleanHost(null)).isNull();
  }
}
