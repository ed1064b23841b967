package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fluxguard.cache.CacheKey;
import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.detection.ConfirmationSettings;
import io.fluxguard.detection.DetectionMode;
import io.fluxguard.detection.DetectionSettings;
import io.fluxguard.detection.FluxInspector;
import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.asn.AsnFormat;
import io.fluxguard.detector.score.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The running server hands every upstream answer to the flux detector and caches the verdict. */
class FluxDetectionTest {
  @TempDir Path dir;
  private ScriptedUpstream upstream;
  private TestServer server;
  private final ManualTicker ticker = new ManualTicker();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() throws Exception {
    Path asnFile = asnFile(dir);

    upstream = new ScriptedUpstream();
    upstream.on("www.evil.test.", rotating(180, 7));
    upstream.on("www.bank.test.", ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      m.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300, Names.of("e7.a.akamaiedge.net.")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("e7.a.akamaiedge.net."), DClass.IN, 20, Names.ip("23.1.2.3")), Section.ANSWER);
      m.addRecord(new ARecord(Names.of("e7.a.akamaiedge.net."), DClass.IN, 20, Names.ip("23.9.2.3")), Section.ANSWER);
      return m;
    }));
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.ticker = ticker;
    o.detection = settings(asnFile, false);
    o.policy = monitorOnly(); // this test is about the verdict; PolicyE2ETest is about acting on it
    Logger logger = (Logger) LoggerFactory.getLogger(FluxInspector.class);
    logs.start();
    logger.addAppender(logs);
    server = new TestServer(o);
  }

  /** The default policy, but with flux verdicts monitored rather than enforced. */
  static io.fluxguard.policy.PolicySettings monitorOnly() {
    var d = io.fluxguard.policy.PolicySettings.DEFAULTS;
    var modes = new java.util.EnumMap<>(d.modes());
    modes.put(io.fluxguard.policy.Source.FLUX, io.fluxguard.policy.Mode.MONITOR);
    return new io.fluxguard.policy.PolicySettings(modes, d.allow(), d.deny(), d.lists(), d.listCheckInterval(), d.clientGroups(), d.detectionExpiry());
  }

  /** Detection with the made-up ASN file; active confirmation on or off. */
  static DetectionSettings settings(Path asnFile, boolean confirm) {
    return new DetectionSettings(
        DetectionMode.MONITOR, List.of(asnFile), AsnFormat.IP_LOCATION_DB_CSV, List.of(), null, DetectorSettings.DEFAULTS,
        new ConfirmationSettings(confirm, 20, 8, 3, 10_000));
  }

  /**
   * Fast flux: every answer 8 A records with TTL {@code ttl} in 8 of the 64 networks of {@link
   * #asnFile}, a new set each time (10.0-7.0.{@code lastOctet}, then 10.8-15.0.{@code lastOctet},
   * ..., after 8 answers the first set again).
   */
  static ScriptedUpstream.Script rotating(int ttl, int lastOctet) {
    AtomicInteger round = new AtomicInteger();
    return ScriptedUpstream.answer(q -> {
      int r = round.getAndIncrement() % 8;
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      for (int i = 0; i < 8; i++) {
        m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, ttl, Names.ip("10." + (8 * r + i) + ".0." + lastOctet)), Section.ANSWER);
      }
      return m;
    });
  }

  /** AS64500+i owns 10.i.0.0/16: a made-up world of 64 residential networks; Akamai owns 23.0.0.0/12. */
  static Path asnFile(Path dir) throws java.io.IOException {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      csv.append("10.").append(i).append(".0.0,10.").append(i).append(".255.255,").append(64500 + i).append(",Home ISP ").append(i).append('\n');
    }
    csv.append("23.0.0.0,23.15.255.255,20940,Akamai\n");
    Path asnFile = dir.resolve("asn-ipv4.csv");
    Files.writeString(asnFile, csv);
    return asnFile;
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(FluxInspector.class)).detachAppender(logs);
    server.close();
    upstream.close();
  }

  private CachedAnswer cached(String name) {
    return server.fluxguard.cache().get(new CacheKey(Names.of(name), Type.A, DClass.IN, false, false));
  }

  @Test
  void rotatingAnswersFromManyNetworks_fluxVerdictCachedCountedAndLogged() throws Exception {
    DnsClient.udp(server.address, Names.query("www.evil.test.", Type.A));
    ticker.advance(Duration.ofSeconds(181)); // the cached answer expires; the next comes from upstream
    Message second = DnsClient.udp(server.address, Names.query("www.evil.test.", Type.A));
    assertThat(second.getSection(Section.ANSWER)).hasSize(8); // monitor mode: answered normally
    assertThat(upstream.count("www.evil.test.")).isEqualTo(2);

    CachedAnswer cached = cached("www.evil.test.");
    assertThat(cached.assessment().verdict()).isEqualTo(Verdict.FLUX);
    assertThat(cached.assessment().reasons().get(0))
        .isEqualTo("16 addresses in 16 networks (16 ASes) across 16 prefixes over 2 answers; TTL 180 s");
    assertThat(server.counter("fluxguard.detector.assessments", "verdict", "flux")).isEqualTo(1);
    assertThat(logs.list)
        .anyMatch(e -> e.getFormattedMessage().startsWith("event=verdict name=www.evil.test registered-domain=evil.test verdict=flux"));
  }

  @Test
  void akamaiAnswer_benignWithTheCdnAsReason() throws Exception {
    DnsClient.udp(server.address, Names.query("www.bank.test.", Type.A));
    CachedAnswer cached = cached("www.bank.test.");
    assertThat(cached.assessment().verdict()).isEqualTo(Verdict.BENIGN);
    assertThat(cached.assessment().name()).isEqualTo("e7.a.akamaiedge.net");
    assertThat(cached.assessment().reasons()).contains("served through the Akamai CDN (CNAME chain)");
  }

  @Test
  void answerWithoutAddresses_notAssessed() throws Exception {
    DnsClient.udp(server.address, Names.query("www.evil.test.", Type.MX));
    assertThat(server.counter("fluxguard.detector.assessments")).isZero();
  }
}
