package io.fluxguard.policy.export;

import static io.fluxguard.policy.export.ExportFixtures.NOW;
import static io.fluxguard.policy.export.ExportFixtures.allow;
import static io.fluxguard.policy.export.ExportFixtures.deny;
import static io.fluxguard.policy.export.ExportFixtures.detection;
import static io.fluxguard.policy.export.ExportFixtures.expired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class StixExportTest {
  /** The timestamp form STIX 2.1 §2.15 requires (as the OASIS validator checks it). */
  private static final Pattern STIX_TIMESTAMP = Pattern.compile(
      "^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?Z$");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode bundle(StixExport export, List<Detection> detections, List<OperatorRule> rules, Instant now)
      throws Exception {
    return JSON.readTree(export.write(detections, rules, now));
  }

  private static JsonNode bundle(List<Detection> detections, List<OperatorRule> rules) throws Exception {
    return bundle(new StixExport("fluxguard", true, false), detections, rules, NOW);
  }

  private static List<JsonNode> objects(JsonNode bundle, String type) {
    return StreamSupport.stream(bundle.get("objects").spliterator(), false)
        .filter(o -> o.path("type").asText().equals(type)).toList();
  }

  private static JsonNode indicatorNamed(JsonNode bundle, String name) {
    return objects(bundle, "indicator").stream().filter(o -> o.path("name").asText().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void write_bundle_typeIdAndObjectsOnly() throws Exception {
    JsonNode b = bundle(List.of(detection("evil.example")), List.of());

    assertThat(b.get("type").asText()).isEqualTo("bundle");
    assertThat(b.get("id").asText()).startsWith("bundle--");
    assertThat(UUID_TEXT.matcher(b.get("id").asText().substring("bundle--".length())).matches()).isTrue();
    assertThat(b.has("spec_version")).isFalse(); // STIX 2.1 §8: a bundle has none
    assertThat(b.get("objects")).hasSize(2);
  }

  @Test
  void write_everyObject_hasTheCommonRequiredProperties() throws Exception {
    JsonNode b = bundle(List.of(detection("evil.example", "192.0.2.1")), List.of(deny("bad.example", "phish")));

    assertThat(b.get("objects")).hasSize(3).allSatisfy(o -> {
      String type = o.path("type").asText();
      assertThat(type).isIn("identity", "indicator");
      assertThat(o.path("spec_version").asText()).isEqualTo("2.1");
      String id = o.path("id").asText();
      assertThat(id).startsWith(type + "--");
      assertThat(id.substring(type.length() + 2)).matches(UUID_TEXT);
      assertThat(UUID.fromString(id.substring(type.length() + 2)).version()).isEqualTo(5);
      assertThat(o.path("created").asText()).matches(STIX_TIMESTAMP);
      assertThat(o.path("modified").asText()).matches(STIX_TIMESTAMP);
      assertThat(Instant.parse(o.path("modified").asText())).isAfterOrEqualTo(Instant.parse(o.path("created").asText()));
    });
  }

  @Test
  void write_identity_theProducerAsASystem() throws Exception {
    JsonNode b = bundle(List.of(detection("evil.example")), List.of());
    JsonNode identity = objects(b, "identity").get(0);

    assertThat(identity.path("name").asText()).isEqualTo("fluxguard");
    assertThat(identity.path("identity_class").asText()).isEqualTo("system");
    assertThat(objects(b, "indicator")).allSatisfy(i ->
        assertThat(i.path("created_by_ref").asText()).isEqualTo(identity.path("id").asText()));
  }

  @Test
  void write_detection_indicatorWithPatternTimesAndConfidence() throws Exception {
    Detection d = new Detection("evil.example", "evil.example", Instant.parse("2026-11-26T20:00:00.123456789Z"),
        Instant.parse("2026-11-26T20:59:00Z"), Instant.parse("2026-11-27T20:59:00Z"), 0.934,
        List.of("ttl 60 s", "12 ASNs"), List.of("192.0.2.1"), List.of(64500), "detector");
    JsonNode i = indicatorNamed(bundle(List.of(d), List.of()), "evil.example");

    assertThat(i.path("pattern").asText()).isEqualTo(
        "[domain-name:value = 'evil.example' OR domain-name:value LIKE '%.evil.example'] OR [ipv4-addr:value = '192.0.2.1']");
    assertThat(i.path("pattern_type").asText()).isEqualTo("stix");
    assertThat(i.path("pattern_version").asText()).isEqualTo("2.1");
    assertThat(i.path("valid_from").asText()).isEqualTo("2026-11-26T20:00:00.123Z");
    assertThat(i.path("created").asText()).isEqualTo("2026-11-26T20:00:00.123Z");
    assertThat(i.path("modified").asText()).isEqualTo("2026-11-26T20:59:00.000Z");
    assertThat(i.path("valid_until").asText()).isEqualTo("2026-11-27T20:59:00.000Z");
    assertThat(i.path("confidence").asInt()).isEqualTo(93);
    assertThat(i.path("description").asText()).isEqualTo("ttl 60 s; 12 ASNs");
    assertThat(i.path("indicator_types")).extracting(JsonNode::asText).containsExactly("malicious-activity");
  }

  @Test
  void write_validUntil_alwaysAfterValidFrom() throws Exception {
    Detection inverted = new Detection("inverted.example", "inverted.example", NOW.plus(Duration.ofDays(2)), NOW,
        NOW.plus(Duration.ofDays(1)), 0.9, List.of(), List.of(), List.of(), "detector");
    JsonNode b = bundle(List.of(detection("evil.example"), detection("flux.test"), inverted), List.of());

    assertThat(objects(b, "indicator")).extracting(i -> i.path("name").asText()).containsExactly("evil.example", "flux.test");
    assertThat(objects(b, "indicator")).allSatisfy(i -> assertThat(Instant.parse(i.path("valid_until").asText()))
        .isAfter(Instant.parse(i.path("valid_from").asText())));
  }

  @Test
  void write_ids_stableAcrossExportsAndInputOrder() throws Exception {
    StixExport export = new StixExport("fluxguard", true, false);
    List<Detection> detections = new ArrayList<>(List.of(detection("evil.example"), detection("flux.test")));
    JsonNode first = bundle(export, detections, List.of(deny("bad.example", "")), NOW);
    Detection confirmedLater = new Detection("evil.example", "evil.example", NOW.minus(Duration.ofHours(1)), NOW,
        NOW.plus(Duration.ofDays(2)), 0.97, List.of("more"), List.of("192.0.2.9"), List.of(), "operator");
    JsonNode second = bundle(export, List.of(detection("flux.test"), confirmedLater), List.of(deny("bad.example", "x")),
        NOW.plus(Duration.ofMinutes(5)));

    for (String name : List.of("evil.example", "flux.test", "bad.example")) {
      assertThat(indicatorNamed(second, name).path("id")).isEqualTo(indicatorNamed(first, name).path("id"));
    }
    assertThat(objects(second, "identity").get(0).path("id")).isEqualTo(objects(first, "identity").get(0).path("id"));
    assertThat(indicatorNamed(first, "evil.example").path("id").asText())
        .isEqualTo("indicator--7b90fe43-5137-5df7-94f4-af4fc8ed2a1d"); // UUIDv5 per the class comment, from Python's uuid5
  }

  @Test
  void write_ids_differBetweenNamesKindsAndProducers() throws Exception {
    JsonNode mine = bundle(List.of(detection("evil.example"), detection("flux.test")), List.of(deny("evil.example", "")));
    JsonNode theirs = bundle(new StixExport("fluxguard example.org", true, false), List.of(detection("evil.example")),
        List.of(), NOW);

    List<String> ids = StreamSupport.stream(mine.get("objects").spliterator(), false)
        .map(o -> o.path("id").asText().replaceFirst("^[a-z-]+--", "")).toList();
    assertThat(ids).doesNotHaveDuplicates().hasSize(4); // §2.9: a UUID is not reused across types either
    assertThat(indicatorNamed(theirs, "evil.example").path("id"))
        .isNotEqualTo(objects(mine, "indicator").get(0).path("id"));
  }

  @Test
  void write_quotesAndBackslashesInNames_escapedInPatterns() throws Exception {
    JsonNode b = bundle(List.of(detection("o'brien\\x.example")), List.of(deny("it's.example", "")));

    assertThat(indicatorNamed(b, "o'brien\\x.example").path("pattern").asText())
        .startsWith("[domain-name:value = 'o\\'brien\\\\x.example' OR domain-name:value LIKE '%.o\\'brien\\\\x.example']");
    assertThat(indicatorNamed(b, "it's.example").path("pattern").asText())
        .isEqualTo("[domain-name:value = 'it\\'s.example' OR domain-name:value LIKE '%.it\\'s.example']");
  }

  @Test
  void write_likeWildcardsInName_equalityOnly() throws Exception {
    JsonNode b = bundle(List.of(detection("_dmarc.evil.example")), List.of());

    assertThat(indicatorNamed(b, "_dmarc.evil.example").path("pattern").asText())
        .isEqualTo("[domain-name:value = '_dmarc.evil.example']");
  }

  @Test
  void write_addresses_sortedDedupedTypedAndOptional() throws Exception {
    Detection d = detection("evil.example", "198.51.100.7", "2001:DB8:0:0::1", "192.0.2.1", "not-an-ip", "192.0.2.1");

    assertThat(indicatorNamed(bundle(List.of(d), List.of()), "evil.example").path("pattern").asText()).endsWith(
        "] OR [ipv4-addr:value = '192.0.2.1'] OR [ipv4-addr:value = '198.51.100.7'] OR [ipv6-addr:value = '2001:db8::1']");
    assertThat(indicatorNamed(bundle(new StixExport("fluxguard", false, false), List.of(d), List.of(), NOW), "evil.example")
        .path("pattern").asText()).doesNotContain("addr");
  }

  @Test
  void write_denyRule_indicatorWithoutExpiryDescribedByItsComment() throws Exception {
    JsonNode i = indicatorNamed(bundle(List.of(), List.of(deny("bad.example", "phishing kit, ticket 42"))), "bad.example");

    assertThat(i.path("confidence").asInt()).isEqualTo(StixExport.DENY_RULE_CONFIDENCE);
    assertThat(i.path("description").asText()).isEqualTo("phishing kit, ticket 42");
    assertThat(i.path("valid_from").asText()).isEqualTo("2026-11-19T21:00:00.000Z");
    assertThat(i.has("valid_until")).isFalse();
    assertThat(i.path("labels")).extracting(JsonNode::asText).containsExactly("operator-deny");
  }

  @Test
  void write_expiredDetectionsAndAllowRules_leftOut() throws Exception {
    JsonNode b = bundle(List.of(expired("old.example"), detection("evil.example")),
        List.of(allow("cdn.example"), deny("bad.example", "")));

    assertThat(objects(b, "indicator")).extracting(i -> i.path("name").asText())
        .containsExactly("evil.example", "bad.example");
  }

  @Test
  void write_prettyAndCompact_sameContent() throws Exception {
    List<Detection> d = List.of(detection("evil.example", "192.0.2.1"));
    String compact = new StixExport("fluxguard", true, false).write(d, List.of(), NOW);
    String pretty = new StixExport("fluxguard", true, true).write(d, List.of(), NOW);

    assertThat(compact).doesNotContain("\n");
    assertThat(pretty).contains("\n");
    assertThat(JSON.readTree(pretty)).isEqualTo(JSON.readTree(compact));
  }

  @Test
  void confidence_scoreTimes100_clampedAndNaNIsZero() {
    assertThat(StixExport.confidence(0.934)).isEqualTo(93);
    assertThat(StixExport.confidence(0.935)).isEqualTo(94);
    assertThat(StixExport.confidence(1.5)).isEqualTo(100);
    assertThat(StixExport.confidence(-0.1)).isZero();
    assertThat(StixExport.confidence(Double.NaN)).isZero();
  }

  @Test
  void constructor_blankProducer_rejected() {
    assertThatThrownBy(() -> new StixExport(" ", true, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("producer");
  }
}
