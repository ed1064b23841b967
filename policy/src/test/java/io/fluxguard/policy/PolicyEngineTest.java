package io.fluxguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.evidence.AddressKey;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.org.Organisations;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.Verdict;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.policy.lists.PolicyLists;
import io.fluxguard.policy.store.DetectionStore;
import io.fluxguard.policy.store.OperatorRules;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTest {
  @TempDir Path dir;
  private OperatorRules rules;
  private DetectionStore detections;
  private static final InetAddress CLIENT = InetAddresses.forString("10.0.0.5");
  private static final InetAddress ANALYST = InetAddresses.forString("10.9.0.7");

  @AfterEach
  void close() {
    if (rules != null) {
      rules.close();
    }
    if (detections != null) {
      detections.close();
    }
  }

  private PolicyEngine engine(Map<Source, Mode> modes, List<String> allow, List<String> deny, Mode listMode) throws Exception {
    Path list = dir.resolve("malware.txt");
    Files.writeString(list, "listed.example\n");
    Path ips = dir.resolve("bad-ips.txt");
    Files.writeString(ips, "203.0.113.0/24\n");
    List<ListSettings> ls = List.of(
        new ListSettings("malware", list, ListFormat.AUTO, listMode, Action.SINKHOLE),
        new ListSettings("bad-ips", ips, ListFormat.AUTO, listMode, Action.NXDOMAIN));
    PolicyLists lists = new PolicyLists(ls);
    lists.reloadAll();
    rules = new OperatorRules(dir, allow, deny, Clock.systemUTC());
    detections = new DetectionStore(dir, Duration.ofDays(7), Duration.ofHours(1), Clock.systemUTC());
    List<ClientGroup> groups = List.of(new ClientGroup("analysts", List.of("10.9.0.0/24"), EnumSet.of(Source.ALLOW)));
    PolicySettings settings = new PolicySettings(modes, allow, deny, ls, Duration.ofSeconds(10), groups, Duration.ofDays(7));
    return new PolicyEngine(settings, lists, rules, detections);
  }

  private PolicyEngine engine() throws Exception {
    return engine(PolicySettings.defaultModes(), List.of("allowed.example"), List.of("denied.example"), Mode.ENFORCE);
  }

  /** A real assessment: 8 answers of 8 fresh addresses in as many /16s, TTL 60, no ASN database. */
  private static FluxAssessment fluxLike(String name, Verdict wanted) {
    AtomicLong clock = new AtomicLong();
    FluxDetector d = new FluxDetector(DetectorSettings.DEFAULTS, AsnDatabase.empty(), Organisations.builtIn(), RegisteredDomains.guava(), clock::get);
    FluxAssessment a = null;
    for (int answer = 0; answer < 8; answer++) {
      long[] keys = new long[8];
      for (int i = 0; i < 8; i++) {
        keys[i] = AddressKey.of(new byte[] {(byte) (20 + answer * 8 + i), (byte) i, 1, 1});
      }
      clock.addAndGet(30_000_000_000L);
      a = d.observe(new AnswerObservation(name, name, List.of(), keys, 60, null, new int[0], new long[0]));
    }
    assertThat(a.verdict()).isEqualTo(wanted);
    return a;
  }

  @Test
  void beforeResolve_denyRuleListAndDetection_blockTheNameAndBelow() throws Exception {
    PolicyEngine e = engine();
    assertThat(e.beforeResolve(CLIENT, "www.denied.example").source()).isEqualTo(Source.DENY);
    Decision listed = e.beforeResolve(CLIENT, "a.listed.example");
    assertThat(listed.source()).isEqualTo(Source.LISTS);
    assertThat(listed.matched()).isEqualTo("list malware: listed.example");
    assertThat(listed.extendedErrorCode()).isEqualTo(17);
    detections.confirm("evil.top", "evil.top", 0.95, List.of(), List.of("198.51.100.9"), List.of()).get(5, TimeUnit.SECONDS);
    Decision detected = e.beforeResolve(CLIENT, "cdn.evil.top");
    assertThat(detected.source()).isEqualTo(Source.DETECTIONS);
    assertThat(detected.extendedErrorCode()).isEqualTo(15);
    assertThat(e.beforeResolve(CLIENT, "fine.example")).isNull();
  }

  @Test
  void allowRule_beatsEverySourceIncludingTheFluxVerdict() throws Exception {
    PolicyEngine e = engine(PolicySettings.defaultModes(), List.of("listed.example"), List.of("listed.example"), Mode.ENFORCE);
    Decision d = e.beforeResolve(CLIENT, "listed.example");
    assertThat(d.source()).isEqualTo(Source.ALLOW);
    assertThat(d.answersNormally()).isTrue();
    FluxAssessment flux = fluxLike("listed.example", Verdict.SUSPICIOUS);
    assertThat(e.afterResolve(CLIENT, "listed.example", List.of(), List.of(), flux)).isNull();
  }

  @Test
  void afterResolve_cnameChainAndAnswerAddresses_areChecked() throws Exception {
    PolicyEngine e = engine();
    Decision chain = e.afterResolve(CLIENT, "innocent.example", List.of("hop.cdn.example", "x.listed.example"), List.of(), null);
    assertThat(chain.source()).isEqualTo(Source.LISTS);
    Decision address = e.afterResolve(CLIENT, "innocent.example", List.of(),
        List.of(InetAddresses.forString("192.0.2.1").getAddress(), InetAddresses.forString("203.0.113.50").getAddress()), null);
    assertThat(address.action()).isEqualTo(Action.NXDOMAIN);
    assertThat(address.matched()).isEqualTo("answer address 203.0.113.50 in list bad-ips");
    detections.confirm("evil.top", "evil.top", 0.95, List.of(), List.of("198.51.100.9"), List.of()).get(5, TimeUnit.SECONDS);
    Decision pool = e.afterResolve(CLIENT, "new-name.example", List.of(), List.of(InetAddresses.forString("198.51.100.9").getAddress()), null);
    assertThat(pool.source()).isEqualTo(Source.DETECTIONS);
  }

  @Test
  void verdict_suspiciousMonitoredByDefault_fluxEnforcedWhenSoConfigured() throws Exception {
    FluxAssessment suspicious = fluxLike("www.evil.top", Verdict.SUSPICIOUS); // no ASN data: capped at suspicious
    PolicyEngine e = engine();
    Decision d = e.afterResolve(CLIENT, "www.evil.top", List.of(), List.of(), suspicious);
    assertThat(d.mode()).isEqualTo(Mode.MONITOR);
    assertThat(d.answersNormally()).isTrue();
    assertThat(d.reason()).startsWith("suspected fast flux, score ");
    Map<Source, Mode> modes = new EnumMap<>(PolicySettings.defaultModes());
    modes.put(Source.SUSPICIOUS, Mode.ENFORCE);
    close();
    PolicyEngine strict = engine(modes, List.of(), List.of(), Mode.ENFORCE);
    assertThat(strict.afterResolve(CLIENT, "www.evil.top", List.of(), List.of(), suspicious).enforced()).isTrue();
  }

  @Test
  void monitorMode_isRememberedButALaterEnforcingSourceStillBlocks() throws Exception {
    PolicyEngine e = engine(PolicySettings.defaultModes(), List.of(), List.of(), Mode.MONITOR);
    Decision monitored = e.beforeResolve(CLIENT, "listed.example");
    assertThat(monitored.mode()).isEqualTo(Mode.MONITOR);
    detections.confirm("listed.example", "listed.example", 0.9, List.of(), List.of(), List.of()).get(5, TimeUnit.SECONDS);
    assertThat(e.beforeResolve(CLIENT, "listed.example").source()).isEqualTo(Source.DETECTIONS);
  }

  @Test
  void clientGroup_analystsGetOnlyAllowRules_soNothingIsBlocked() throws Exception {
    PolicyEngine e = engine();
    assertThat(e.groupOf(ANALYST)).isEqualTo("analysts");
    assertThat(e.beforeResolve(ANALYST, "denied.example")).isNull();
    assertThat(e.beforeResolve(ANALYST, "listed.example")).isNull();
    assertThat(e.beforeResolve(CLIENT, "denied.example")).isNotNull();
  }

  @Test
  void allowRuleOnACnameTarget_exemptsTheChainItsAddressesAndItsVerdict() throws Exception {
    PolicyEngine e = engine(PolicySettings.defaultModes(), List.of("cdn.listed.example"), List.of(), Mode.ENFORCE);
    assertThat(e.afterResolve(CLIENT, "www.shop.example", List.of("cdn.listed.example"),
        List.of(InetAddresses.forString("203.0.113.5").getAddress()), null)).isNull();
    // A chain through the allowed name to a listed one is still blocked.
    assertThat(e.afterResolve(CLIENT, "www.shop.example", List.of("cdn.listed.example", "x.listed.example"), List.of(), null))
        .isNotNull();
  }

  @Test
  void rpzAddressPassthru_exemptsThatAddressOnly_whateverTheOrder() throws Exception {
    Path rpz = dir.resolve("ip.rpz");
    Files.writeString(rpz, """
        $ORIGIN rpz.test.
        @ SOA ns admin 1 2 3 4 5
        32.1.2.0.192.rpz-ip CNAME rpz-passthru.
        24.0.100.51.198.rpz-ip CNAME .
        """);
    PolicyLists lists = new PolicyLists(List.of(new ListSettings("ip", rpz, ListFormat.AUTO, Mode.ENFORCE, Action.SINKHOLE)));
    lists.reloadAll();
    rules = new OperatorRules(dir, List.of(), List.of(), Clock.systemUTC());
    detections = new DetectionStore(dir, Duration.ofDays(7), Duration.ofHours(1), Clock.systemUTC());
    PolicyEngine e = new PolicyEngine(PolicySettings.DEFAULTS, lists, rules, detections);
    byte[] exempt = InetAddresses.forString("192.0.2.1").getAddress();
    byte[] blocked = InetAddresses.forString("198.51.100.5").getAddress();
    assertThat(e.afterResolve(CLIENT, "a.example", List.of(), List.of(exempt, blocked), null).action()).isEqualTo(Action.NXDOMAIN);
    assertThat(e.afterResolve(CLIENT, "a.example", List.of(), List.of(blocked, exempt), null).action()).isEqualTo(Action.NXDOMAIN);
    assertThat(e.afterResolve(CLIENT, "a.example", List.of(), List.of(exempt), null)).isNull();
  }

  @Test
  void monitoredListsExemption_doesNotExemptFromALaterEnforcedList() throws Exception {
    Path trial = dir.resolve("trial.txt");
    Files.writeString(trial, "@@||ads.example^\n");
    Path ads = dir.resolve("ads.txt");
    Files.writeString(ads, "ads.example\n");
    PolicyLists lists = new PolicyLists(List.of(
        new ListSettings("trial", trial, ListFormat.ADBLOCK, Mode.MONITOR, Action.SINKHOLE),
        new ListSettings("ads", ads, ListFormat.DOMAINS, Mode.ENFORCE, Action.SINKHOLE)));
    lists.reloadAll();
    rules = new OperatorRules(dir, List.of(), List.of(), Clock.systemUTC());
    detections = new DetectionStore(dir, Duration.ofDays(7), Duration.ofHours(1), Clock.systemUTC());
    PolicyEngine e = new PolicyEngine(PolicySettings.DEFAULTS, lists, rules, detections);
    assertThat(e.beforeResolve(CLIENT, "ads.example").enforced()).isTrue();
  }

  @Test
  void v4MappedAnswerAddress_matchesIpv4Entries() throws Exception {
    PolicyEngine e = engine();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    mapped[12] = (byte) 203;
    mapped[14] = (byte) 113;
    mapped[15] = 9;
    assertThat(e.afterResolve(CLIENT, "a.example", List.of(), List.of(mapped), null).matched())
        .isEqualTo("answer address 203.0.113.9 in list bad-ips"); // Java reads a v4-mapped address as IPv4
  }
}
