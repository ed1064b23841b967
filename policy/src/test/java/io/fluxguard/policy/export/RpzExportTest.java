package io.fluxguard.policy.export;

import static io.fluxguard.policy.export.ExportFixtures.NOW;
import static io.fluxguard.policy.export.ExportFixtures.allow;
import static io.fluxguard.policy.export.ExportFixtures.deny;
import static io.fluxguard.policy.export.ExportFixtures.detection;
import static io.fluxguard.policy.export.ExportFixtures.expired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.fluxguard.policy.Action;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListReader;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.policy.lists.LoadedList;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class RpzExportTest {
  private static final String ZONE = "rpz.fluxguard.local";

  @TempDir Path dir;

  private static String write(List<Detection> detections, List<OperatorRule> rules, boolean includeAddresses) {
    return new RpzExport(ZONE, includeAddresses).write(detections, rules, NOW);
  }

  /** Every record dnsjava's zone-file parser reads; fails the test if the text does not parse. */
  private static List<Record> records(String zone) throws Exception {
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(zone.getBytes(StandardCharsets.US_ASCII)))) {
      Record r;
      while ((r = m.nextRecord()) != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<String> owners(List<Record> records) {
    return records.stream().filter(r -> r.getType() == Type.CNAME)
        .map(r -> r.getName().relativize(Name.fromConstantString(ZONE + ".")).toString()).toList();
  }

  private LoadedList load(String zone) throws Exception {
    Path path = dir.resolve("shared.rpz");
    Files.writeString(path, zone, StandardCharsets.US_ASCII);
    return ListReader.read(new ListSettings("shared", path, ListFormat.RPZ, Mode.ENFORCE, Action.SINKHOLE));
  }

  private static Action action(LoadedList l, String name) {
    int id = l.names().match(name);
    return id < 0 ? null : l.rules()[id].action();
  }

  private static Action addressAction(LoadedList l, String address) {
    int id = l.addresses().match(InetAddresses.forString(address));
    return id < 0 ? null : l.rules()[id].action();
  }

  @Test
  void write_parsesWithMaster_soaNsThenTriggerPairs() throws Exception {
    List<Record> records = records(write(List.of(detection("evil.example", "192.0.2.1")),
        List.of(deny("bad.example", "phishing")), true));

    assertThat(records.get(0).getType()).isEqualTo(Type.SOA);
    assertThat(records.get(0).getName()).isEqualTo(Name.fromConstantString(ZONE + "."));
    assertThat(records.get(1).getType()).isEqualTo(Type.NS);
    assertThat(owners(records)).containsExactly(
        "evil.example", "*.evil.example", "bad.example", "*.bad.example", "32.1.2.0.192.rpz-ip");
    assertThat(records.stream().filter(r -> r instanceof CNAMERecord))
        .allSatisfy(r -> assertThat(((CNAMERecord) r).getTarget()).isEqualTo(Name.root));
  }

  @Test
  void write_roundTripsThroughListReader_namesAndSubdomainsNxdomain() throws Exception {
    LoadedList loaded = load(write(List.of(detection("evil.example"), detection("flux.test")),
        List.of(deny("bad.example", "")), false));

    assertThat(loaded.problems()).isEmpty();
    assertThat(action(loaded, "evil.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(loaded, "a.b.evil.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(loaded, "flux.test")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(loaded, "bad.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(loaded, "www.bad.example")).isEqualTo(Action.NXDOMAIN);
    assertThat(action(loaded, "example")).isNull();
    assertThat(action(loaded, "notevil.example")).isNull();
    assertThat(action(loaded, "unrelated.org")).isNull();
  }

  @Test
  void write_includeAddresses_evidenceAddressesMatchAsRpzIp() throws Exception {
    LoadedList loaded = load(write(List.of(detection("evil.example", "192.0.2.1", "2001:db8::1"),
        detection("other.example", "192.0.2.1", "198.51.100.7")), List.of(), true));

    assertThat(loaded.problems()).isEmpty();
    assertThat(addressAction(loaded, "192.0.2.1")).isEqualTo(Action.NXDOMAIN);
    assertThat(addressAction(loaded, "198.51.100.7")).isEqualTo(Action.NXDOMAIN);
    assertThat(addressAction(loaded, "2001:db8::1")).isEqualTo(Action.NXDOMAIN);
    assertThat(addressAction(loaded, "192.0.2.2")).isNull();
    assertThat(addressAction(loaded, "2001:db8::2")).isNull();
  }

  @Test
  void write_sharedAddress_oneTriggerNamingEveryDetection() throws Exception {
    String zone = write(List.of(detection("a.example", "192.0.2.1"), detection("b.example", "192.0.2.1")),
        List.of(), true);

    assertThat(owners(records(zone))).filteredOn(o -> o.endsWith("rpz-ip")).containsExactly("32.1.2.0.192.rpz-ip");
    assertThat(zone).contains("; 192.0.2.1 seen for a.example b.example\n");
  }

  @Test
  void write_withoutAddresses_noRpzIpTriggers() throws Exception {
    String zone = write(List.of(detection("evil.example", "192.0.2.1")), List.of(), false);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example");
    assertThat(load(zone).addresses().isEmpty()).isTrue();
  }

  @Test
  void write_reasonWithNewlinesSemicolonsQuotes_staysInItsComment() throws Exception {
    String reason = "ttl 5\nplanted.example CNAME rpz-passthru.\r\n$ORIGIN evil.\n; \"quoted\" (paren) \\ back\u2028tab\there";
    String zone = write(List.of(detection("evil.example", 0.9, List.of(reason, "second"), List.of())),
        List.of(deny("bad.example", "line one\nplanted2.example CNAME .")), false);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example", "bad.example", "*.bad.example");
    assertThat(zone.lines().filter(l -> !l.startsWith(";") && !l.startsWith("$"))).hasSize(6); // SOA, NS, 4 CNAMEs
    assertThat(zone.lines().filter(l -> l.startsWith("$"))).containsExactly("$TTL 300", "$ORIGIN " + ZONE + ".");
    assertThat(zone).contains("reasons=ttl 5 planted.example CNAME rpz-passthru.  $ORIGIN evil. ; \"quoted\" (paren) \\ back?tab here; second");
    LoadedList loaded = load(zone);
    assertThat(loaded.problems()).isEmpty();
    assertThat(action(loaded, "planted.example")).isNull();
    assertThat(action(loaded, "planted2.example")).isNull();
  }

  @Test
  void write_nameWithZoneSpecialCharacters_escapedSoTheZoneStillParses() throws Exception {
    String odd = "we\"ird;name(x) $y.example";
    String zone = write(List.of(detection(odd), detection("evil.example")), List.of(), false);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example",
        "we\\\"ird\\;name\\(x\\)\\032\\$y.example", "*.we\\\"ird\\;name\\(x\\)\\032\\$y.example");
    assertThat(action(load(zone), "evil.example")).isEqualTo(Action.NXDOMAIN); // the odd name is reported, not fatal
  }

  @Test
  void write_nameTooLongEmptyOrNotOctets_leftOutWithAComment() throws Exception {
    String longName = ("a".repeat(60) + ".").repeat(4) + "example"; // 251 octets: fine alone, too long in the zone
    String zone = write(List.of(detection(longName), detection(""), detection("."), detection("@"), detection("a..b"),
        detection("\u4e2d.example"), detection("evil.example")), List.of(), false);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example");
    assertThat(zone.lines().filter(l -> l.startsWith("; left out:"))).hasSize(6);
  }

  @Test
  void write_nameBothDetectedAndDenied_oneTriggerPairStillNxdomain() throws Exception {
    String zone = write(List.of(detection("evil.example")), List.of(deny("evil.example", "known")), false);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example");
    assertThat(action(load(zone), "evil.example")).isEqualTo(Action.NXDOMAIN); // two CNAMEs would be local data
  }

  @Test
  void write_expiredDetectionsAndAllowRules_leftOut() throws Exception {
    String zone = write(List.of(expired("old.example"), detection("evil.example")),
        List.of(allow("cdn.example"), deny("bad.example", "")), true);

    assertThat(owners(records(zone))).containsExactly("evil.example", "*.evil.example", "bad.example", "*.bad.example");
    assertThat(zone).doesNotContain("old.example").doesNotContain("cdn.example").doesNotContain("198.51.100.99");
  }

  @Test
  void write_inputOrderDoesNotMatter_outputSortedByName() {
    List<Detection> detections = new ArrayList<>(List.of(detection("c.example", "192.0.2.3"),
        detection("a.example", "192.0.2.1"), detection("b.example", "192.0.2.2")));
    List<OperatorRule> rules = new ArrayList<>(List.of(deny("z.example", ""), deny("y.example", "")));
    String first = write(detections, rules, true);
    Collections.reverse(detections);
    Collections.reverse(rules);

    assertThat(write(detections, rules, true)).isEqualTo(first);
    assertThat(first.indexOf("a.example.rpz")).isLessThan(first.indexOf("b.example.rpz"));
    assertThat(first.indexOf("b.example.rpz")).isLessThan(first.indexOf("c.example.rpz"));
    assertThat(first.indexOf("y.example.rpz")).isLessThan(first.indexOf("z.example.rpz"));
  }

  @Test
  void write_soaSerialIsTheExportTimeInEpochSeconds() throws Exception {
    SOARecord soa = (SOARecord) records(write(List.of(), List.of(), true)).get(0);

    assertThat(soa.getSerial()).isEqualTo(NOW.getEpochSecond());
    assertThat(RpzExport.serial(java.time.Instant.ofEpochSecond(1L << 32))).isZero(); // RFC 1982 wraps
  }

  @Test
  void write_emptyExport_isAValidZoneWithNoTriggers() throws Exception {
    String zone = write(List.of(), List.of(), true);

    assertThat(records(zone)).extracting(Record::getType).containsExactly(Type.SOA, Type.NS);
    assertThat(load(zone).entries()).isZero();
  }

  @Test
  void constructor_notAZoneName_rejectedNamingIt() {
    assertThatThrownBy(() -> new RpzExport("a..b", true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a..b\"");
    assertThatThrownBy(() -> new RpzExport(".", true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the root");
  }

  @Test
  void constructor_trailingDotOptional() {
    assertThat(new RpzExport(ZONE + ".", false).write(List.of(), List.of(), NOW))
        .isEqualTo(new RpzExport(ZONE, false).write(List.of(), List.of(), NOW));
  }
}
