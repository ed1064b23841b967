package io.fluxguard.sinkhole.listener;

import static io.fluxguard.sinkhole.listener.BlockedQueriesTest.address;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class SinkholeHitsTest {
  private static final Instant T = Instant.parse("2025-05-02T09:00:00Z");
  private static final InetAddress ALICE = address("10.0.0.1");
  private static final InetAddress BOB = address("10.0.0.2");
  private static final InetAddress CAROL = address("2001:db8::7");

  @TempDir Path dir;

  @Test
  void list_noFilter_newestFirst() {
    SinkholeHits hits = new SinkholeHits(100, null);
    hits.record(hit(0, ALICE, "a.example", null));
    hits.record(hit(1, BOB, "b.example", null));
    hits.record(hit(2, ALICE, "c.example", null));

    assertThat(hits.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
        .containsExactly("c.example", "b.example", "a.example");
  }

  @Test
  void list_byClient_onlyThatClient() {
    SinkholeHits hits = new SinkholeHits(100, null);
    hits.record(hit(0, ALICE, "a.example", null));
    hits.record(hit(1, BOB, "b.example", null));
    hits.record(hit(2, ALICE, "c.example", null));

    assertThat(hits.list(ALICE, null, null, null, 10)).extracting(SinkholeHit::host)
        .containsExactly("c.example", "a.example");
  }

  @Test
  void list_byName_matchesHostOrQueriedNameIgnoringCase() {
    SinkholeHits hits = new SinkholeHits(100, null);
    hits.record(hit(0, ALICE, "evil.example", "evil.example"));
    hits.record(hit(1, BOB, null, "evil.example"));
    hits.record(hit(2, ALICE, "cdn.example", "evil.example"));
    hits.record(hit(3, BOB, "other.example", "other.example"));

    assertThat(hits.list(null, "EVIL.Example.", null, null, 10)).extracting(SinkholeHit::time)
        .containsExactly(T.plusSeconds(2), T.plusSeconds(1), T);
  }

  @Test
  void list_sinceInclusiveUntilExclusive() {
    SinkholeHits hits = new SinkholeHits(100, null);
    for (int i = 0; i < 5; i++) {
      hits.record(hit(i, ALICE, "a.example", null));
    }

    assertThat(hits.list(null, null, T.plusSeconds(1), T.plusSeconds(3), 10)).extracting(SinkholeHit::time)
        .containsExactly(T.plusSeconds(2), T.plusSeconds(1));
  }

  @Test
  void list_limit_newestOnly() {
    SinkholeHits hits = new SinkholeHits(100, null);
    for (int i = 0; i < 5; i++) {
      hits.record(hit(i, ALICE, "a.example", null));
    }

    assertThat(hits.list(ALICE, null, null, null, 2)).extracting(SinkholeHit::time)
        .containsExactly(T.plusSeconds(4), T.plusSeconds(3));
  }

  @Test
  void record_pastMaxHits_dropsTheOldest() {
    SinkholeHits hits = new SinkholeHits(3, null);
    for (int i = 0; i < 5; i++) {
      hits.record(hit(i, ALICE, "h" + i + ".example", null));
    }

    assertThat(hits.size()).isEqualTo(3);
    assertThat(hits.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
        .containsExactly("h4.example", "h3.example", "h2.example");
  }

  @Test
  void clients_rankedByHitsThenLatestHit_withDistinctNames() {
    SinkholeHits hits = new SinkholeHits(100, null);
    hits.record(hit(0, ALICE, "a.example", null));
    hits.record(hit(1, ALICE, "A.example", null));
    hits.record(hit(2, ALICE, "b.example", null));
    hits.record(hit(3, BOB, "a.example", null));
    hits.record(hit(4, CAROL, null, "x.example"));
    hits.record(hit(5, CAROL, "y.example", null));
    hits.record(hit(6, CAROL, null, null));

    assertThat(hits.clients())
        .containsExactly(
            new ClientActivity(CAROL, 3, T.plusSeconds(6), 2),
            new ClientActivity(ALICE, 3, T.plusSeconds(2), 2),
            new ClientActivity(BOB, 1, T.plusSeconds(3), 1));
  }

  @Test
  void start_newInstanceOnTheSameFile_reloadsTheHits() throws Exception {
    Path file = dir.resolve("data/sinkhole-hits.jsonl");
    SinkholeHit withQuery =
        new SinkholeHit(T, ALICE, 51514, 80, SinkholeProtocol.HTTP, "evil.example", "evil.example",
            T.minusSeconds(3), "fast flux, score 0.97 \"quoted\"\nsecond line");
    SinkholeHit bare = new SinkholeHit(T.plusSeconds(1), CAROL, 40000, 443, SinkholeProtocol.TLS, null,
        null, null, null);
    try (SinkholeHits first = new SinkholeHits(100, file)) {
      first.start();
      first.record(withQuery);
      first.record(bare);
    }
    assertThat(Files.readAllLines(file)).hasSize(2);

    try (SinkholeHits second = new SinkholeHits(100, file)) {
      second.start();
      assertThat(second.list(null, null, null, null, 10)).containsExactly(bare, withQuery);
    }
  }

  @Test
  void start_fileWithMoreHitsThanKept_reloadsTheNewest() throws Exception {
    Path file = dir.resolve("sinkhole-hits.jsonl");
    try (SinkholeHits first = new SinkholeHits(100, file)) {
      first.start();
      for (int i = 0; i < 10; i++) {
        first.record(hit(i, ALICE, "h" + i + ".example", null));
      }
    }

    try (SinkholeHits second = new SinkholeHits(3, file)) {
      second.start();
      assertThat(second.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
          .containsExactly("h9.example", "h8.example", "h7.example");
    }
  }

  @Test
  void fileTruncatedWhileRunning_asLogrotateCopytruncateDoes_nextHitsStartAtItsNewEnd() throws Exception {
    Path file = dir.resolve("sinkhole-hits.jsonl");
    try (SinkholeHits hits = new SinkholeHits(100, file)) {
      hits.start();
      for (int i = 0; i < 3; i++) {
        hits.record(hit(i, ALICE, "old" + i + ".example", null));
      }
      Eventually.await("three lines written", () -> lineCount(file) == 3);
      Files.copy(file, dir.resolve("sinkhole-hits.jsonl.1"));
      try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(0);
      }
      hits.record(hit(3, BOB, "new.example", null));
    }
    // appended at the new end: no hole of NUL bytes where the old lines were, no old lines
    byte[] bytes = Files.readAllBytes(file);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\0").doesNotContain("old");
    assertThat(Files.readAllLines(file)).singleElement().satisfies(l -> assertThat(l).contains("new.example"));
    assertThat(Files.readAllLines(dir.resolve("sinkhole-hits.jsonl.1"))).hasSize(3);
  }

  private static long lineCount(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  @Test
  void start_tornLastLine_skippedWithAWarningAndTheNextHitStartsANewLine() throws Exception {
    Path file = dir.resolve("sinkhole-hits.jsonl");
    try (SinkholeHits first = new SinkholeHits(100, file)) {
      first.start();
      first.record(hit(0, ALICE, "a.example", null));
      first.record(hit(1, ALICE, "b.example", null));
    }
    Files.write(file, "{\"time\":\"2025-05-02T09:00:0".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND); // a crash in the middle of a write
    ListAppender<ILoggingEvent> warnings = capture(HitJournal.class);

    try (SinkholeHits second = new SinkholeHits(100, file)) {
      second.start();
      assertThat(second.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
          .containsExactly("b.example", "a.example");
      second.record(hit(2, BOB, "c.example", null));
    } finally {
      release(HitJournal.class, warnings);
    }

    assertThat(warnings.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("file=" + file, "line=3");
    try (SinkholeHits third = new SinkholeHits(100, file)) {
      third.start();
      assertThat(third.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
          .containsExactly("c.example", "b.example", "a.example");
    }
  }

  @Test
  void start_memoryOnly_writesNoFile() throws Exception {
    try (SinkholeHits hits = new SinkholeHits(10, null)) {
      hits.start();
      hits.record(hit(0, ALICE, "a.example", null));
      assertThat(hits.unwrittenHits()).isZero();
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void record_beforeStart_keptAheadOfReloadedHits() throws Exception {
    Path file = dir.resolve("sinkhole-hits.jsonl");
    try (SinkholeHits first = new SinkholeHits(100, file)) {
      first.start();
      first.record(hit(0, ALICE, "old.example", null));
    }
    try (SinkholeHits second = new SinkholeHits(100, file)) {
      second.record(hit(5, ALICE, "new.example", null));
      second.start();
      assertThat(second.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
          .containsExactly("new.example", "old.example");
    }
  }

  static SinkholeHit hit(int second, InetAddress client, String host, String queriedName) {
    return new SinkholeHit(T.plusSeconds(second), client, 40000 + second, 80, SinkholeProtocol.HTTP,
        host, queriedName, queriedName == null ? null : T.minusSeconds(10),
        queriedName == null ? null : "fast flux");
  }

  static ListAppender<ILoggingEvent> capture(Class<?> type) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
    return appender;
  }

  static void release(Class<?> type, ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
  }
}
