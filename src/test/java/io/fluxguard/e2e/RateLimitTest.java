package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.acl.RateLimitSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Per-client rate limits (slip with TC=1, or drop) and the cap on questions in flight upstream. */
class RateLimitTest {
  @Test
  void overTheBurst_slippedWithTc_thenRefilled_tcpUnaffected() throws Exception {
    ManualTicker ticker = new ManualTicker();
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.ticker = ticker;
      o.rateLimit = new RateLimitSettings(10, 3, RateLimitSettings.Action.SLIP, 1000);
      try (TestServer server = new TestServer(o)) {
        for (int i = 0; i < 3; i++) {
          assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A)).getHeader().getFlag(Flags.TC)).isFalse();
        }
        Message slipped = DnsClient.udp(server.address, Names.query("www.example.test.", Type.A));
        assertThat(slipped.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(slipped.getSection(Section.ANSWER)).isEmpty();
        assertThat(DnsClient.tcp(server.address, Names.query("www.example.test.", Type.A)).getSection(Section.ANSWER)).isNotEmpty();
        ticker.advance(Duration.ofMillis(100)); // one token back at 10 per second
        assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A)).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(server.counter("fluxguard.queries.rejected", "reason", "rate-limit")).isEqualTo(1);
      }
    }
  }

  @Test
  void overTheBurst_dropped_whenSoConfigured() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.ticker = new ManualTicker();
      o.rateLimit = new RateLimitSettings(1, 1, RateLimitSettings.Action.DROP, 1000);
      try (TestServer server = new TestServer(o)) {
        assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A))).isNotNull();
        assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A).toWire(), 300)).isNull();
        assertThat(server.counter("fluxguard.packets.dropped", "reason", "rate-limit")).isEqualTo(1);
      }
    }
  }

  @Test
  void pastMaxInflight_newQuestionsServfailAtOnce() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      upstream.otherwise(ScriptedUpstream.delayed(1500, ScriptedUpstream.answer(ScriptedUpstream::defaultAnswer)));
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.maxInflight = 2;
      o.attemptTimeout = Duration.ofSeconds(3);
      try (TestServer server = new TestServer(o)) {
        CompletableFuture<Message> a = CompletableFuture.supplyAsync(() -> query(server, "a.test."));
        CompletableFuture<Message> b = CompletableFuture.supplyAsync(() -> query(server, "b.test."));
        while (upstream.received().size() < 2) {
          Thread.sleep(10);
        }
        Message c = query(server, "c.test.");
        assertThat(c.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(a.isDone() || b.isDone()).as("answered before the two in flight").isFalse();
        assertThat(upstream.count("c.test.")).isZero();
        assertThat(server.counter("fluxguard.upstream.overloaded")).isEqualTo(1);
        assertThat(a.get().getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(b.get().getRcode()).isEqualTo(Rcode.NOERROR);
      }
    }
  }

  private static Message query(TestServer server, String name) {
    try {
      return DnsClient.udp(server.address, Names.query(name, Type.A));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
