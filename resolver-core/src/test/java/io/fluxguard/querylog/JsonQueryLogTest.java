package io.fluxguard.querylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.pipeline.Outcome;
import io.fluxguard.pipeline.QueryLog;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.Queries;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The query log's queue: bounded, never blocking; what does not fit is counted, what fits is written. */
class JsonQueryLogTest {
  private static final QueryLogSettings ALL = new QueryLogSettings(QueryLogSettings.Mode.ALL, 100, false, "10MB", 7, "100MB");

  @TempDir Path dir;

  private static QueryLog.Entry entry(String name) {
    return new QueryLog.Entry(Queries.decode(Queries.message(name, Type.A)), InetAddress.getLoopbackAddress(), Transport.UDP,
        Rcode.NOERROR, Outcome.CACHE_HIT, 10_000, null, null);
  }

  @Test
  void fullQueue_linesDroppedAndCounted_queuedLinesWrittenAtClose() throws Exception {
    JsonQueryLog log = new JsonQueryLog(ALL, dir, Clock.systemUTC(), 2, false); // the writer stalls
    for (int i = 0; i < 5; i++) {
      log.record(entry("n" + i + ".example."));
    }
    assertThat(log.dropped()).isEqualTo(3);
    assertThat(log.written()).isZero();
    log.close();
    assertThat(log.written()).isEqualTo(2);
    assertThat(Files.readAllLines(dir.resolve("querylog").resolve("queries.jsonl")))
        .hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"time\":"))
        .anySatisfy(l -> assertThat(l).contains("\"name\":\"n0.example\""));
    log.record(entry("after-close.example."));
    assertThat(log.dropped()).isEqualTo(4);
  }

  @Test
  void runningWriter_writesEveryLine() throws Exception {
    JsonQueryLog log = new JsonQueryLog(ALL, dir, Clock.systemUTC());
    for (int i = 0; i < 1000; i++) {
      log.record(entry("w" + i + ".example."));
    }
    log.close();
    assertThat(log.dropped()).isZero();
    assertThat(log.written()).isEqualTo(1000);
    assertThat(Files.readAllLines(dir.resolve("querylog").resolve("queries.jsonl"))).hasSize(1000);
  }
}
