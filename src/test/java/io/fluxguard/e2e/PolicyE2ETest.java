package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.ClientGroup;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.policy.Source;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.sinkhole.SinkholeSettings;
import io.fluxguard.sinkhole.listener.SinkholeHit;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.sinkhole.listener.SinkholeProtocol;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Blocking end to end: lists, operator rules, flux verdicts and detections turned into sinkhole
 * answers with Extended DNS Errors, monitor mode, restarts, and the sinkhole listener tying a
 * connection to the query that sent the client there.
 */
class PolicyE2ETest {
  @TempDir Path dir;
  private ScriptedUpstream upstream;
  private TestServer server;
  private final ManualTicker ticker = new ManualTicker();
  private final AtomicInteger fluxRound = new AtomicInteger();
  private Path dataDir;
  private Path asnFile;

  @BeforeEach
  void upstream() throws Exception {
    asnFile = FluxDetectionTest.asnFile(dir);
    dataDir = dir.resolve("data");
    Files.writeString(dir.resolve("malware.txt"), "listed.test\n");
    Files.writeString(dir.resolve("bad-ips.txt"), "198.51.100.0/24\n");
    upstream = new ScriptedUpstream();
    upstream.otherwise(ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      if (q.getQuestion().getType() == Type.A) {
        m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.80")), Section.ANSWER);
      }
      return m;
    }));
    upstream.on("www.hop.test.", ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      m.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300, Names.of("cdn.listed.test.")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("cdn.listed.test."), DClass.IN, 300, Names.ip("192.0.2.81")), Section.ANSWER);
      return m;
    }));
    upstream.on("www.badip.test.", ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("198.51.100.9")), Section.ANSWER);
      return m;
    }));
    // Fast flux: 8 addresses in 8 networks per answer, a new set each time, TTL 180.
    for (String name : List.of("www.evil.test.", "www.allowed-flux.test.")) {
      upstream.on(name, ScriptedUpstream.answer(q -> {
        int r = fluxRound.getAndIncrement();
        Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
        for (int i = 0; i < 8; i++) {
          m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 180, Names.ip("10." + ((8 * r + i) % 64) + ".0." + (7 + r))), Section.ANSWER);
        }
        return m;
      }));
    }
    // Akamai and a round-robin pool: rotating, several networks, short TTLs; never to be blocked.
    AtomicInteger cdnRound = new AtomicInteger();
    upstream.on("www.bank.test.", ScriptedUpstream.answer(q -> {
      int r = cdnRound.getAndIncrement();
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      m.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300, Names.of("e7.a.akamaiedge.net.")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("e7.a.akamaiedge.net."), DClass.IN, 20, Names.ip("23." + (r % 16) + ".2.3")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("e7.a.akamaiedge.net."), DClass.IN, 20, Names.ip("23." + (r % 16) + ".9.3")), Section.ANSWER);
      return m;
    }));
    AtomicInteger poolRound = new AtomicInteger();
    upstream.on("0.pool.ntp.org.", ScriptedUpstream.answer(q -> {
      int r = poolRound.getAndIncrement();
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      for (int i = 0; i < 4; i++) {
        m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 150, Names.ip("10." + ((4 * r + i) % 64) + ".1.1")), Section.ANSWER);
      }
      return m;
    }));
  }

  private TestServer.Options options(Map<Source, Mode> modes, List<String> allow, Mode listMode) {
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.ticker = ticker;
    o.detection = FluxDetectionTest.settings(asnFile, false);
    o.dataDir = dataDir;
    o.policy = new PolicySettings(modes, allow, List.of("denied.test"),
        List.of(new ListSettings("malware", dir.resolve("malware.txt"), ListFormat.AUTO, listMode, Action.SINKHOLE),
            new ListSettings("bad-ips", dir.resolve("bad-ips.txt"), ListFormat.AUTO, listMode, Action.SINKHOLE)),
        Duration.ofSeconds(10), List.of(new ClientGroup("nobody", List.of("192.0.2.0/24"), java.util.Set.of(Source.ALLOW))),
        Duration.ofDays(7));
    o.sinkhole = new SinkholeSettings(
        (java.net.Inet4Address) Names.ip("127.0.0.1"), (java.net.Inet6Address) Names.ip("::1"), Duration.ofSeconds(60), Duration.ofSeconds(30));
    o.sinkholeListener = SinkholeListenerSettings.DEFAULTS.withListeners(
        List.of(SinkholeListenerSettings.Endpoint.http(new InetSocketAddress("127.0.0.1", 0))));
    return o;
  }

  private TestServer start(Map<Source, Mode> modes, List<String> allow, Mode listMode) throws Exception {
    server = new TestServer(options(modes, allow, listMode));
    return server;
  }

  private TestServer start() throws Exception {
    return start(PolicySettings.defaultModes(), List.of("allowed-flux.test"), Mode.ENFORCE);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    upstream.close();
  }

  /** A query with EDNS (so the answer can carry an Extended DNS Error). */
  private static Message edns(String name, int type) {
    Message q = Names.query(name, type);
    q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return q;
  }

  private static ExtendedErrorCodeOption ede(Message answer) {
    OPTRecord opt = answer.getOPT();
    assertThat(opt).as("OPT in the answer").isNotNull();
    for (EDNSOption o : opt.getOptions()) {
      if (o instanceof ExtendedErrorCodeOption e) {
        return e;
      }
    }
    throw new AssertionError("no Extended DNS Error in " + answer);
  }

  @Test
  void listedName_getsSinkholeAAndAaaa_withFilteredEde_andNoUpstreamTraffic() throws Exception {
    start();
    Message a = DnsClient.udp(server.address, edns("www.listed.test.", Type.A));
    assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Names.addresses(a)).containsExactly("127.0.0.1");
    assertThat(a.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
    assertThat(a.getHeader().getFlag(org.xbill.DNS.Flags.AD)).isFalse();
    assertThat(ede(a).getErrorCode()).isEqualTo(17);
    assertThat(ede(a).getText()).isEqualTo("on block list malware");
    Message aaaa = DnsClient.udp(server.address, edns("www.listed.test.", Type.AAAA));
    assertThat(Names.addresses(aaaa)).containsExactly("0:0:0:0:0:0:0:1");
    Message mx = DnsClient.udp(server.address, edns("www.listed.test.", Type.MX));
    assertThat(mx.getSection(Section.ANSWER)).isEmpty();
    assertThat(mx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(mx.getSection(Section.AUTHORITY).get(0).getTTL()).isEqualTo(30);
    assertThat(upstream.count("www.listed.test.")).isZero();
    assertThat(server.counter("fluxguard.policy.decisions", "source", "lists", "mode", "enforce")).isEqualTo(3);
  }

  @Test
  void listedName_digShowsTheEdeText() throws Exception {
    start();
    ExternalCommand.Result r = ExternalCommand.run(20, ExternalCommand.dig(server, "www.listed.test", "A").toArray(String[]::new));
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("EDE: 17 (Filtered): (on block list malware)").contains("127.0.0.1");
  }

  /** Starts the default server, asks for {@code name} (A, with EDNS), expects the sinkhole address; returns the answer's EDE. */
  private ExtendedErrorCodeOption sinkholedEde(String name) throws Exception {
    start();
    Message a = DnsClient.udp(server.address, edns(name, Type.A));
    assertThat(Names.addresses(a)).containsExactly("127.0.0.1");
    return ede(a);
  }

  @Test
  void denyRule_blockedWithBlockedEde() throws Exception {
    assertThat(sinkholedEde("x.denied.test.").getErrorCode()).isEqualTo(15);
  }

  @Test
  void cnameToListedName_isBlocked() throws Exception {
    assertThat(sinkholedEde("www.hop.test.").getText()).isEqualTo("on block list malware");
  }

  @Test
  void answerAddressInAnAddressList_isBlocked() throws Exception {
    assertThat(sinkholedEde("www.badip.test.").getText()).isEqualTo("answer address on block list bad-ips");
  }

  @Test
  void fluxDomain_sinkholedByItsSecondAnswer_withCachingOn_andTheDetectionKept() throws Exception {
    start();
    Message first = DnsClient.udp(server.address, edns("www.evil.test.", Type.A));
    assertThat(Names.addresses(first)).hasSize(8); // one answer is not evidence of rotation
    ticker.advance(Duration.ofSeconds(181)); // the cached answer runs out: the second comes from upstream
    Message second = DnsClient.udp(server.address, edns("www.evil.test.", Type.A));
    assertThat(Names.addresses(second)).containsExactly("127.0.0.1");
    assertThat(ede(second).getErrorCode()).isEqualTo(15);
    // The verdict on this answer made a detection at once; either names fast flux and its score.
    assertThat(ede(second).getText()).startsWith("fast flux").contains("score").endsWith("; ask the admin API");
    Message cachedAgain = DnsClient.udp(server.address, edns("www.evil.test.", Type.A)); // a cache hit, judged again
    assertThat(Names.addresses(cachedAgain)).containsExactly("127.0.0.1");
    ExternalCommand.Result dig = ExternalCommand.run(20, ExternalCommand.dig(server, "www.evil.test", "A").toArray(String[]::new));
    assertThat(dig.stdout()).contains("EDE: 15 (Blocked): (fast flux").contains("127.0.0.1");
    awaitDetection("www.evil.test");
  }

  private void awaitDetection(String name) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.fluxguard.blocking().detections().get(name) == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.fluxguard.blocking().detections().get(name)).as("detection of " + name).isNotNull();
  }

  @Test
  void allowRule_beatsTheFluxVerdict() throws Exception {
    start();
    DnsClient.udp(server.address, edns("www.allowed-flux.test.", Type.A));
    ticker.advance(Duration.ofSeconds(181));
    Message second = DnsClient.udp(server.address, edns("www.allowed-flux.test.", Type.A));
    assertThat(Names.addresses(second)).hasSize(8).doesNotContain("127.0.0.1");
  }

  @Test
  void cdnAndRoundRobinPool_neverBlocked() throws Exception {
    start();
    for (int i = 0; i < 6; i++) {
      assertThat(Names.addresses(DnsClient.udp(server.address, edns("www.bank.test.", Type.A)))).doesNotContain("127.0.0.1").hasSize(2);
      assertThat(Names.addresses(DnsClient.udp(server.address, edns("0.pool.ntp.org.", Type.A)))).doesNotContain("127.0.0.1").hasSize(4);
      ticker.advance(Duration.ofSeconds(181));
    }
    assertThat(server.counter("fluxguard.policy.decisions")).isZero();
  }

  @Test
  void monitorMode_answersNormallyAndCounts() throws Exception {
    Map<Source, Mode> modes = new EnumMap<>(PolicySettings.defaultModes());
    modes.put(Source.FLUX, Mode.MONITOR);
    start(modes, List.of(), Mode.MONITOR);
    Message listed = DnsClient.udp(server.address, edns("www.listed.test.", Type.A));
    assertThat(Names.addresses(listed)).containsExactly("192.0.2.80");
    assertThat(listed.getOPT().getOptions()).isEmpty();
    DnsClient.udp(server.address, edns("www.evil.test.", Type.A));
    ticker.advance(Duration.ofSeconds(181));
    assertThat(Names.addresses(DnsClient.udp(server.address, edns("www.evil.test.", Type.A)))).hasSize(8);
    assertThat(server.counter("fluxguard.policy.decisions", "source", "lists", "mode", "monitor")).isEqualTo(1);
    // The first flux answer is judged suspicious (monitored by default). The second is judged
    // flux and made a detection at once, which (made by the detector while flux is monitored) is
    // monitored too and, coming first, is the match counted for it.
    assertThat(server.counter("fluxguard.policy.decisions", "source", "suspicious", "mode", "monitor")).isEqualTo(1);
    assertThat(server.counter("fluxguard.policy.decisions", "source", "detections", "mode", "monitor")).isEqualTo(1);
    assertThat(server.counter("fluxguard.policy.decisions", "mode", "enforce")).isZero();
  }

  @Test
  void restart_keepsDetections_blockingBeforeAnyUpstreamTraffic() throws Exception {
    start();
    DnsClient.udp(server.address, edns("www.evil.test.", Type.A));
    ticker.advance(Duration.ofSeconds(181));
    DnsClient.udp(server.address, edns("www.evil.test.", Type.A));
    awaitDetection("www.evil.test");
    server.close();
    server = new TestServer(options(PolicySettings.defaultModes(), List.of(), Mode.ENFORCE));
    Message a = DnsClient.udp(server.address, edns("other.www.evil.test.", Type.A));
    assertThat(Names.addresses(a)).containsExactly("127.0.0.1");
    assertThat(ede(a).getText()).startsWith("fast flux detected, score ");
    assertThat(upstream.count("other.www.evil.test.")).isZero();
  }

  @Test
  void curlToTheSinkhole_isRecordedWithItsHost_andTiedToTheQuery() throws Exception {
    start();
    DnsClient.udp(server.address, edns("www.listed.test.", Type.A));
    InetSocketAddress http = server.fluxguard.blocking().listener().boundAddresses(SinkholeProtocol.HTTP).get(0);
    ExternalCommand.Result curl = ExternalCommand.run(20, "curl", "-s", "-H", "Host: www.listed.test",
        "http://127.0.0.1:" + http.getPort() + "/update.exe");
    assertThat(curl.stdout()).contains("www.listed.test").contains("on block list malware");
    List<SinkholeHit> hits = awaitHits();
    assertThat(hits).singleElement().satisfies(h -> {
      assertThat(h.host()).isEqualTo("www.listed.test");
      assertThat(h.queriedName()).isEqualTo("www.listed.test");
      assertThat(h.queryTime()).isNotNull();
    });
  }

  private List<SinkholeHit> awaitHits() throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<SinkholeHit> hits = List.of();
    while (hits.isEmpty() && System.nanoTime() < deadline) {
      hits = server.fluxguard.blocking().hits().list(InetAddress.getByName("127.0.0.1"), null, null, null, 10);
      Thread.sleep(10);
    }
    return hits;
  }

  @Test
  void httpToTheSinkhole_isRecordedWithItsHost_andTiedToTheQuery() throws Exception {
    start();
    DnsClient.udp(server.address, edns("www.listed.test.", Type.A));
    InetSocketAddress http = server.fluxguard.blocking().listener().boundAddresses(SinkholeProtocol.HTTP).get(0);
    try (Socket s = new Socket(http.getAddress(), http.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write("GET /payload.bin HTTP/1.1\r\nHost: www.listed.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 403").contains("www.listed.test").contains("on block list malware");
    }
    assertThat(awaitHits()).singleElement().satisfies(h -> {
      assertThat(h.host()).isEqualTo("www.listed.test");
      assertThat(h.queriedName()).isEqualTo("www.listed.test");
      assertThat(h.reason()).isEqualTo("on block list malware");
    });
  }
}
