package io.fluxguard.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.asn.AsnDatabaseBuilder;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.org.Organisations;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.Verdict;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The detector on hand-built answers: verdicts and the reasons an analyst reads. */
class FluxDetectorTest {
  private final AtomicLong nanos = new AtomicLong();
  // AS64500 + i owns 10.i.0.0/16 (i = 0..63); Akamai's AS20940 owns 23.0.0.0/12.
  private final AsnDatabase asns = database();
  private final FluxDetector detector =
      new FluxDetector(DetectorSettings.DEFAULTS, asns, Organisations.builtIn(), RegisteredDomains.guava(), nanos::get);

  private static AsnDatabase database() {
    AsnDatabaseBuilder b = new AsnDatabaseBuilder();
    for (int i = 0; i < 64; i++) {
      b.addV4(0x0A000000 | (i << 16), 0x0A00FFFF | (i << 16), 64500 + i);
    }
    b.addV4(0x17000000, 0x170FFFFF, 20940);
    return b.build();
  }

  private static Name name(String s) throws Exception {
    return Name.fromString(s + ".");
  }

  /** An answer for {@code q} with A records 10.{net}.0.{host} for each given network. */
  private Message answer(String q, String owner, int ttl, int firstNet, int count, int host) throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name(q), Type.A, DClass.IN), Section.QUESTION);
    if (!owner.equals(q)) {
      m.addRecord(new CNAMERecord(name(q), DClass.IN, 300, name(owner)), Section.ANSWER);
    }
    for (int i = 0; i < count; i++) {
      m.addRecord(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName("10." + (firstNet + i) + ".0." + host)), Section.ANSWER);
    }
    return m;
  }

  private FluxAssessment observe(String q, Message m, long atSeconds) throws Exception {
    nanos.set(atSeconds * 1_000_000_000L);
    return detector.observe(AnswerObservation.from(name(q), m));
  }

  @Test
  void eightNetworksPerAnswerRotating_fluxBySecondAnswerWithReasons() throws Exception {
    FluxAssessment first = observe("www.evil.top", answer("www.evil.top", "www.evil.top", 180, 0, 8, 1), 0);
    assertThat(first.verdict()).isNotEqualTo(Verdict.FLUX);
    FluxAssessment second = observe("www.evil.top", answer("www.evil.top", "www.evil.top", 180, 8, 8, 2), 200);
    assertThat(second.verdict()).isEqualTo(Verdict.FLUX);
    assertThat(second.score()).isBetween(0.7, 1.0);
    assertThat(second.reasons().get(0)).isEqualTo("16 addresses in 16 networks (16 ASes) across 16 prefixes over 2 answers; TTL 180 s");
    assertThat(second.reasons()).contains("8.0 new addresses per answer");
    assertThat(second.features().holz()).isGreaterThan(0);
  }

  @Test
  void singleStableAddress_benign() throws Exception {
    FluxAssessment a = null;
    for (int i = 0; i < 5; i++) {
      a = observe("www.shop.example", answer("www.shop.example", "www.shop.example", 300, 3, 1, 9), i * 400L);
    }
    assertThat(a.verdict()).isEqualTo(Verdict.BENIGN);
    assertThat(a.score()).isLessThan(0.2);
  }

  @Test
  void cnameAlias_sharesItsTargetsEvidence() throws Exception {
    observe("www.evil.top", answer("www.evil.top", "www.evil.top", 180, 0, 8, 1), 0);
    FluxAssessment viaAlias = observe("login.innocent.example", answer("login.innocent.example", "www.evil.top", 180, 8, 8, 2), 200);
    assertThat(viaAlias.name()).isEqualTo("www.evil.top");
    assertThat(viaAlias.verdict()).isEqualTo(Verdict.FLUX);
  }

  @Test
  void newDomainOnAFlaggedPool_fluxOnItsFirstAnswer() throws Exception {
    observe("www.evil.top", answer("www.evil.top", "www.evil.top", 180, 0, 8, 1), 0);
    observe("www.evil.top", answer("www.evil.top", "www.evil.top", 180, 8, 8, 2), 200);
    FluxAssessment sibling = observe("cdn.other.xyz", answer("cdn.other.xyz", "cdn.other.xyz", 180, 0, 3, 1), 400);
    assertThat(sibling.verdict()).isEqualTo(Verdict.FLUX);
    assertThat(sibling.reasons().get(0)).isEqualTo("shares 3 addresses with the flux network of evil.top");
  }

  @Test
  void akamaiCname_benignWithTheCdnNamed() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("www.bank.example"), Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new CNAMERecord(name("www.bank.example"), DClass.IN, 300, name("www.bank.example.edgekey.net")), Section.ANSWER);
    m.addRecord(new CNAMERecord(name("www.bank.example.edgekey.net"), DClass.IN, 300, name("e9.a.akamaiedge.net")), Section.ANSWER);
    for (int i = 0; i < 4; i++) {
      m.addRecord(new ARecord(name("e9.a.akamaiedge.net"), DClass.IN, 20, InetAddress.getByName("23." + i + ".7.1")), Section.ANSWER);
    }
    FluxAssessment a = observe("www.bank.example", m, 0);
    assertThat(a.verdict()).isEqualTo(Verdict.BENIGN);
    assertThat(a.reasons()).contains("served through the Akamai CDN (CNAME chain)", "100% of addresses belong to CDN, cloud or hosting organisations");
  }

  @Test
  void withoutAsnDatabase_prefixesStandInAndVerdictCappedAtSuspicious() throws Exception {
    FluxDetector noDb =
        new FluxDetector(DetectorSettings.DEFAULTS, AsnDatabase.empty(), Organisations.builtIn(), RegisteredDomains.guava(), nanos::get);
    noDb.observe(AnswerObservation.from(name("www.evil.top"), answer("www.evil.top", "www.evil.top", 180, 0, 8, 1)));
    nanos.set(200_000_000_000L);
    FluxAssessment a = noDb.observe(AnswerObservation.from(name("www.evil.top"), answer("www.evil.top", "www.evil.top", 180, 8, 8, 2)));
    assertThat(a.lowConfidence()).isTrue();
    assertThat(a.features().organisations()).isEqualTo(16);
    assertThat(a.score()).isGreaterThanOrEqualTo(0.7);
    assertThat(a.verdict()).isEqualTo(Verdict.SUSPICIOUS);
    assertThat(a.reasons()).contains("no ASN database configured: /16 prefixes stand in for networks, so the verdict is capped at suspicious");
  }

  @Test
  void dualStackName_alternatingAAndAaaa_notTakenForRotation() throws Exception {
    FluxAssessment last = null;
    for (int i = 0; i < 10; i++) {
      Message m = new Message();
      boolean v6 = i % 2 == 1;
      m.addRecord(Record.newRecord(name("www.dual.example"), v6 ? Type.AAAA : Type.A, DClass.IN), Section.QUESTION);
      for (int k = 1; k <= 2; k++) {
        m.addRecord(
            v6
                ? new org.xbill.DNS.AAAARecord(name("www.dual.example"), DClass.IN, 300, InetAddress.getByName("2001:db8:" + k + "::1"))
                : new ARecord(name("www.dual.example"), DClass.IN, 300, InetAddress.getByName("10.5.0." + k)),
            Section.ANSWER);
      }
      last = observe("www.dual.example", m, i * 100L); // both families asked within one TTL
    }
    assertThat(last.features().earlyChanges()).isZero();
    assertThat(last.features().answerSets()).isEqualTo(1);
    assertThat(last.verdict()).isEqualTo(Verdict.BENIGN);
  }

  @Test
  void cnameThroughATrafficManagerToAnOutsideHost_noCdnDiscount() throws Exception {
    observe("x.trafficmanager.net", answer("x.trafficmanager.net", "www.evil.top", 180, 0, 8, 1), 0);
    FluxAssessment a = observe("x.trafficmanager.net", answer("x.trafficmanager.net", "www.evil.top", 180, 8, 8, 2), 200);
    assertThat(a.verdict()).isEqualTo(Verdict.FLUX);
    assertThat(a.reasons()).noneMatch(r -> r.contains("CDN (CNAME chain)"));
  }

  @Test
  void siteInOneNetworkSharingAddressesWithAFluxPool_notFlaggedByClusteringAlone() throws Exception {
    var scorer = new io.fluxguard.detector.score.FluxScorer(io.fluxguard.detector.score.ScoreSettings.DEFAULTS, asns, Organisations.builtIn());
    var shared = new io.fluxguard.detector.score.FluxScorer.Context(-1, null, 2, "evil.top");
    // A victim whose two addresses a flux zone listed: one network, so clustering does not apply.
    var victim = new io.fluxguard.detector.evidence.NameEvidence(64, 0);
    victim.recordAnswer(new long[] {0x0A030001L, 0x0A030002L}, 300, 0, scorer.classifier());
    assertThat(scorer.score("shop.victim.example", "victim.example", victim, victim, shared).verdict()).isEqualTo(Verdict.BENIGN);
    // A name with spread of its own on the same pool is caught on its first answer.
    var sibling = new io.fluxguard.detector.evidence.NameEvidence(64, 0);
    sibling.recordAnswer(new long[] {0x0A030001L, 0x0A040001L}, 300, 0, scorer.classifier());
    FluxAssessment a = scorer.score("cdn.other.xyz", "other.xyz", sibling, sibling, shared);
    assertThat(a.verdict()).isEqualTo(Verdict.FLUX);
    assertThat(a.reasons().get(0)).isEqualTo("shares 2 addresses with the flux network of evil.top");
  }

  @Test
  void answerWithoutAddresses_noAssessment() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("mx.example"), Type.MX, DClass.IN), Section.QUESTION);
    assertThat(observe("mx.example", m, 0)).isNull();
  }
}
