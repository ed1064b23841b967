package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Broken, slow and lying upstreams: the client gets an answer or SERVFAIL within the bound. */
class UpstreamFaultsTest {
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private ScriptedUpstream upstream() throws Exception {
    ScriptedUpstream u = new ScriptedUpstream();
    resources.add(u);
    return u;
  }

  private TestServer server(TestServer.Options o) throws Exception {
    TestServer s = new TestServer(o);
    resources.add(s);
    return s;
  }

  private static TestServer.Options fast(ScriptedUpstream... upstreams) {
    TestServer.Options o = new TestServer.Options(Arrays.stream(upstreams).map(ScriptedUpstream::address).toArray(InetSocketAddress[]::new));
    o.timeout = Duration.ofMillis(1500);
    o.attemptTimeout = Duration.ofMillis(400);
    o.cache = TestServer.noCache();
    return o;
  }

  @Test
  void deadUpstream_servfailWithinTheBound() throws Exception {
    ScriptedUpstream u = upstream();
    u.setDead(true);
    TestServer s = server(fast(u));
    long start = System.nanoTime();
    Message answer = DnsClient.udp(s.address, Names.query("dead.test.", Type.A));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answer.getQuestion().getName()).isEqualTo(Names.of("dead.test."));
    // Attempts of 400 ms are repeated until the 1.5 s bound; the answer comes at the bound.
    assertThat(millis).isBetween(1400L, 4000L);
    assertThat(u.count("dead.test.")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void upstreamComesBack_answersResume() throws Exception {
    ScriptedUpstream u = upstream();
    TestServer s = server(fast(u));
    u.setDead(true);
    for (int i = 0; i < 2; i++) {
      assertThat(DnsClient.udp(s.address, Names.query("down" + i + ".test.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }
    u.setDead(false);
    Message answer = DnsClient.udp(s.address, Names.query("back.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void firstUpstreamDropping_secondAnswers() throws Exception {
    ScriptedUpstream bad = upstream();
    bad.otherwise(ScriptedUpstream.drop());
    ScriptedUpstream good = upstream();
    TestServer s = server(fast(bad, good));
    Message answer = DnsClient.udp(s.address, Names.query("failover.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(bad.count("failover.test.")).isEqualTo(1);
    assertThat(good.count("failover.test.")).isEqualTo(1);
  }

  @Test
  void failedUpstream_markedDownSoHealthyOneIsAskedFirst_thenProbedBack() throws Exception {
    ScriptedUpstream flaky = upstream();
    flaky.setDead(true);
    ScriptedUpstream good = upstream();
    TestServer.Options o = fast(flaky, good);
    o.failureThreshold = 2;
    TestServer s = server(o);
    for (int i = 0; i < 2; i++) {
      DnsClient.udp(s.address, Names.query("warm" + i + ".test.", Type.A));
    }
    // flaky is down now: a new question goes straight to the healthy upstream.
    long start = System.nanoTime();
    DnsClient.udp(s.address, Names.query("direct.test.", Type.A));
    assertThat(flaky.count("direct.test.")).isZero();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(400);
    // It is probed (root NS) and comes back once it answers again.
    flaky.setDead(false);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    for (int i = 0; ; i++) {
      String name = "preferred-again-" + i + ".test.";
      DnsClient.udp(s.address, Names.query(name, Type.A));
      if (flaky.count(name) == 1) {
        break; // asked first again: the probe brought it back
      }
      assertThat(System.nanoTime()).as("upstream brought back within 5 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(flaky.count(".")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void wrongIdFromUpstream_ignoredAndNextUpstreamUsed() throws Exception {
    ScriptedUpstream liar = upstream();
    liar.otherwise(ScriptedUpstream.wrongId());
    ScriptedUpstream good = upstream();
    good.otherwise(ScriptedUpstream.answer(q -> withA(q, "192.0.2.7")));
    TestServer s = server(fast(liar, good));
    Message answer = DnsClient.udp(s.address, Names.query("spoof.test.", Type.A));
    assertThat(((ARecord) answer.getSection(Section.ANSWER).get(0)).getAddress()).isEqualTo(Names.ip("192.0.2.7"));
  }

  @Test
  void wrongQuestionFromUpstream_neverServed() throws Exception {
    ScriptedUpstream liar = upstream();
    liar.otherwise(ScriptedUpstream.wrongQuestion());
    TestServer s = server(fast(liar));
    Message answer = DnsClient.udp(s.address, Names.query("asked.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void replyWithoutQrBit_notTakenAsAnAnswer() throws Exception {
    ScriptedUpstream liar = upstream();
    liar.otherwise((q, tcp) -> {
      Message m = ScriptedUpstream.defaultAnswer(q);
      m.getHeader().unsetFlag(Flags.QR);
      return new ScriptedUpstream.Reply(m.toWire(), 0);
    });
    TestServer s = server(fast(liar));
    assertThat(DnsClient.udp(s.address, Names.query("noqr.test.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void garbageFromUpstream_servfail() throws Exception {
    ScriptedUpstream junk = upstream();
    junk.otherwise(ScriptedUpstream.garbage());
    TestServer s = server(fast(junk));
    assertThat(DnsClient.udp(s.address, Names.query("junk.test.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void truncatedUdpAnswerFromUpstream_retriedOverTcp() throws Exception {
    ScriptedUpstream u = upstream();
    u.otherwise(ScriptedUpstream.truncatedOverUdp(ScriptedUpstream.answer(q -> withA(q, "192.0.2.9"))));
    TestServer s = server(fast(u));
    Message answer = DnsClient.udp(s.address, Names.query("tc.test.", Type.A));
    assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
    assertThat(u.received()).extracting(ScriptedUpstream.Received::tcp).containsExactly(false, true);
  }

  @Test
  void truncatedOverTcpToo_noLoop_nextUpstreamAnswers() throws Exception {
    ScriptedUpstream broken = upstream();
    broken.otherwise(ScriptedUpstream.truncatedAlways());
    ScriptedUpstream good = upstream();
    good.otherwise(ScriptedUpstream.answer(q -> withA(q, "192.0.2.11")));
    TestServer s = server(fast(broken, good));
    Message answer = DnsClient.udp(s.address, Names.query("tc-loop.test.", Type.A));
    assertThat(answer.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(Names.addresses(answer)).containsExactly("192.0.2.11");
    // one UDP try and one TCP try at the broken upstream, not a loop (its TCP try may still be
    // on its way when the good upstream has answered, on a slow machine)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (broken.received().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(100);
    assertThat(broken.received()).extracting(ScriptedUpstream.Received::tcp).containsExactly(false, true);
  }

  @Test
  void truncatedOverTcpFromEveryUpstream_servfailWithinTheBound() throws Exception {
    ScriptedUpstream broken = upstream();
    broken.otherwise(ScriptedUpstream.truncatedAlways());
    TestServer s = server(fast(broken));
    long start = System.nanoTime();
    Message answer = DnsClient.udp(s.address, Names.query("tc-only.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000L);
    assertThat(broken.count("tc-only.test.")).isLessThanOrEqualTo(2L * 4); // attempts bounded, two transports each
  }

  @Test
  void servfailFromFirstUpstream_secondAsked() throws Exception {
    ScriptedUpstream broken = upstream();
    broken.otherwise(ScriptedUpstream.rcode(Rcode.SERVFAIL));
    ScriptedUpstream good = upstream();
    TestServer s = server(fast(broken, good));
    assertThat(DnsClient.udp(s.address, Names.query("sf.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void refusedOrNotimpFromEveryUpstream_clientGetsServfail_notTheUpstreamsRefusal() throws Exception {
    ScriptedUpstream refusing = upstream();
    refusing.otherwise(ScriptedUpstream.rcode(Rcode.REFUSED));
    ScriptedUpstream notimp = upstream();
    notimp.otherwise(ScriptedUpstream.rcode(Rcode.NOTIMP));
    TestServer s = server(fast(refusing, notimp));
    Message answer = DnsClient.udp(s.address, Names.query("refused.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(answer.getQuestion().getName()).isEqualTo(Names.of("refused.test."));
    assertThat(refusing.count("refused.test.")).isGreaterThanOrEqualTo(1);
    assertThat(notimp.count("refused.test.")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void servfailFromEveryUpstream_passedOnWithoutWaitingForTheBound() throws Exception {
    ScriptedUpstream a = upstream();
    a.otherwise(ScriptedUpstream.rcode(Rcode.SERVFAIL));
    ScriptedUpstream b = upstream();
    b.otherwise(ScriptedUpstream.rcode(Rcode.SERVFAIL));
    TestServer s = server(fast(a, b));
    long start = System.nanoTime();
    assertThat(DnsClient.udp(s.address, Names.query("allbad.test.", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
  }

  @Test
  void identicalQuestionsInFlight_coalescedIntoOneUpstreamQuery() throws Exception {
    ScriptedUpstream slow = upstream();
    slow.otherwise(ScriptedUpstream.delayed(300, ScriptedUpstream.answer(ScriptedUpstream::defaultAnswer)));
    TestServer s = server(fast(slow));
    List<CompletableFuture<Message>> answers = new ArrayList<>();
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(10);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    try {
      for (int i = 0; i < 10; i++) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await(); // all ten are sent together, well inside the upstream's 300 ms
                    return DnsClient.udp(s.address, Names.query("popular.test.", Type.A));
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                },
                clients));
      }
      go.countDown();
      for (CompletableFuture<Message> f : answers) {
        assertThat(f.get().getSection(Section.ANSWER)).hasSize(1);
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(slow.count("popular.test.")).isEqualTo(1);
    assertThat(s.counter("fluxguard.upstream.coalesced")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void slowUpstreamWithinTheBound_answerArrives() throws Exception {
    ScriptedUpstream slow = upstream();
    slow.otherwise(ScriptedUpstream.delayed(250, ScriptedUpstream.answer(ScriptedUpstream::defaultAnswer)));
    TestServer s = server(fast(slow));
    assertThat(DnsClient.udp(s.address, Names.query("slow.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  private static Message withA(Message q, String ip) {
    Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
    m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip(ip)), Section.ANSWER);
    return m;
  }

  @Test
  void answerCarryingRecordsForAnotherName_thoseNeverServedNorCached() throws Exception {
    ScriptedUpstream upstream = upstream();
    upstream.on("www.example.test.", ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.10")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("www.bank.test."), DClass.IN, 86400, Names.ip("203.0.113.66")), Section.ANSWER);
      return m;
    }));
    TestServer server = server(new TestServer.Options(upstream.address()));
    Message a = DnsClient.udp(server.address, Names.query("www.example.test.", Type.A));
    assertThat(a.getSection(Section.ANSWER)).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo(Names.of("www.example.test.")));
    assertThat(server.counter("fluxguard.upstream.scrubbed")).isEqualTo(1);
  }

  @Test
  void answersFromAnotherAddressOrPort_ignored_theUpstreamsOwnAnswerServed() throws Exception {
    // A hand-driven upstream: when a query arrives, forged answers with the right ID and question
    // come first, from another port and from another address (RFC 5452 section 9.1), and the
    // upstream's own answer 200 ms later.
    try (DatagramSocket upstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket otherPort = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket otherAddress = new DatagramSocket(new InetSocketAddress("127.0.0.2", upstream.getLocalPort()))) {
      TestServer.Options o = new TestServer.Options((InetSocketAddress) upstream.getLocalSocketAddress());
      o.timeout = Duration.ofSeconds(2);
      o.attemptTimeout = Duration.ofSeconds(1);
      TestServer s = server(o);
      CompletableFuture<Message> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return DnsClient.udp(s.address, Names.query("forged.test.", Type.A));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      upstream.setSoTimeout(3000);
      Message q;
      do { // skip anything else fluxguard may send (a health probe)
        upstream.receive(p);
        q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
      } while (!q.getQuestion().getName().equals(Names.of("forged.test.")));
      byte[] forged = withA(q, "203.0.113.66").toWire();
      otherPort.send(new DatagramPacket(forged, forged.length, p.getSocketAddress()));
      otherAddress.send(new DatagramPacket(forged, forged.length, p.getSocketAddress()));
      Thread.sleep(200);
      byte[] genuine = withA(q, "192.0.2.8").toWire();
      upstream.send(new DatagramPacket(genuine, genuine.length, p.getSocketAddress()));

      assertThat(Names.addresses(answer.get(5, TimeUnit.SECONDS))).containsExactly("192.0.2.8");
      // and what was cached is the genuine answer too
      assertThat(Names.addresses(DnsClient.udp(s.address, Names.query("forged.test.", Type.A)))).containsExactly("192.0.2.8");
    }
  }
}
