package io.fluxguard.policy.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes detections and deny rules as a STIX 2.1 bundle (OASIS STIX 2.1, §8 Bundle): one
 * {@code identity} for the producer (§4.5, identity_class {@code system}) and one
 * {@code indicator} (§4.7) per detection and per deny rule, each {@code created_by_ref} the
 * identity.
 *
 * <ul>
 *   <li><b>Ids</b> (§2.9) are UUIDv5, not the UUIDv4 §2.9 recommends, so that exporting again
 *       gives the same id and a consumer sees a new version of the same indicator rather than a
 *       new one. The namespace is UUIDv5(STIX namespace {@value #NAMESPACE}, producer name); the
 *       name is {@code detection:<name>}, {@code deny-rule:<name>}, {@code identity} or
 *       {@code bundle:<time>}, so two producers, or two kinds of object, never share a UUID.
 *   <li><b>One indicator per detection</b>, its pattern the name (and subdomains) OR'd with its
 *       evidence addresses ({@link StixPattern}): the detection is what fluxguard judged, with one
 *       score, one validity window and one set of reasons. Separate address indicators would each
 *       need that confidence too, which overstates fast-flux addresses — compromised hosts that
 *       rotate in minutes.
 *   <li><b>Times</b> (§2.15): {@code created}/{@code valid_from} the first flux verdict,
 *       {@code modified} the last confirming answer, {@code valid_until} the expiry. A detection
 *       whose expiry is not after its first verdict is left out: §4.7 forbids such a window.
 *   <li><b>Confidence</b> (§3.2, Appendix A): the score times 100. A deny rule gets
 *       {@value #DENY_RULE_CONFIDENCE}, "High" on the None/Low/Med/High scale of Appendix A: a
 *       person decided it, but a rule carries no evidence and may encode local policy, so not 100. Deny
 *       rules have no {@code valid_until}: they hold until removed.
 * </ul>
 */
public final class StixExport implements IndicatorExport {
  /** The namespace STIX 2.1 §2.9 gives for deterministic (UUIDv5) identifiers. */
  public static final String NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";
  static final int DENY_RULE_CONFIDENCE = 85;
  /** The identity never changes, so neither does its creation time (§3.2: created is fixed). */
  static final Instant IDENTITY_CREATED = Instant.parse("2026-11-26T00:00:00Z");
  private static final String SPEC_VERSION = "2.1";

  private final String producer;
  private final boolean includeAddresses;
  private final boolean pretty;
  private final UUID namespace;
  private final String identityId;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param producer the identity's name, e.g. {@code fluxguard}; give each deployment its own
   *     (e.g. {@code fluxguard example.org}) since ids derive from it and must not collide across
   *     producers
   * @param includeAddresses whether indicator patterns include the evidence addresses
   * @param pretty indented JSON rather than one line
   * @throws IllegalArgumentException if {@code producer} is blank
   */
  public StixExport(String producer, boolean includeAddresses, boolean pretty) {
    if (producer == null || producer.isBlank()) {
      throw new IllegalArgumentException("producer must be a non-blank name, got \"" + producer + "\"");
    }
    this.producer = producer;
    this.includeAddresses = includeAddresses;
    this.pretty = pretty;
    this.namespace = NameBasedUuid.v5(UUID.fromString(NAMESPACE), producer);
    this.identityId = "identity--" + NameBasedUuid.v5(namespace, "identity");
  }

  /** {@code application/stix+json;version=2.1}, the media type STIX 2.1 registers. */
  @Override
  public String mediaType() {
    return "application/stix+json;version=2.1";
  }

  @Override
  public String write(List<Detection> detections, List<OperatorRule> rules, Instant now) {
    ObjectNode bundle = json.createObjectNode();
    bundle.put("type", "bundle");
    bundle.put("id", "bundle--" + NameBasedUuid.v5(namespace, "bundle:" + ExportItems.timestamp(now)));
    ArrayNode objects = bundle.putArray("objects");
    objects.add(identity());
    for (Detection d : ExportItems.liveDetections(detections, now)) {
      ObjectNode indicator = indicator(d);
      if (indicator != null) {
        objects.add(indicator);
      }
    }
    for (OperatorRule r : ExportItems.denyRules(rules)) {
      objects.add(indicator(r));
    }
    try {
      return pretty ? json.writerWithDefaultPrettyPrinter().writeValueAsString(bundle) : json.writeValueAsString(bundle);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e); // no I/O: not expected
    }
  }

  private ObjectNode identity() {
    ObjectNode o = common("identity", identityId, IDENTITY_CREATED, IDENTITY_CREATED);
    o.put("name", producer);
    o.put("identity_class", "system");
    return o;
  }

  private ObjectNode indicator(Detection d) {
    Instant from = ExportItems.millis(d.firstSeen());
    Instant until = ExportItems.millis(d.expires());
    if (!until.isAfter(from)) {
      return null;
    }
    Instant last = ExportItems.millis(d.lastSeen());
    Instant modified = last.isAfter(from) ? last : from; // §3.2: modified is never before created
    ObjectNode o = common("indicator", "indicator--" + NameBasedUuid.v5(namespace, "detection:" + d.name()), from, modified);
    o.put("created_by_ref", identityId);
    o.put("name", d.name());
    if (!d.reasons().isEmpty()) {
      o.put("description", String.join("; ", d.reasons()));
    }
    o.putArray("indicator_types").add("malicious-activity");
    o.put("pattern", StixPattern.forName(d.name(), includeAddresses ? d.addresses() : List.of()));
    o.put("pattern_type", "stix");
    o.put("pattern_version", SPEC_VERSION);
    o.put("valid_from", ExportItems.timestamp(from));
    o.put("valid_until", ExportItems.timestamp(until));
    o.put("confidence", confidence(d.score()));
    o.putArray("labels").add("fast-flux");
    return o;
  }

  private ObjectNode indicator(OperatorRule r) {
    Instant created = ExportItems.millis(r.created());
    ObjectNode o = common("indicator", "indicator--" + NameBasedUuid.v5(namespace, "deny-rule:" + r.name()), created, created);
    o.put("created_by_ref", identityId);
    o.put("name", r.name());
    if (r.comment() != null && !r.comment().isBlank()) {
      o.put("description", r.comment());
    }
    o.putArray("indicator_types").add("malicious-activity");
    o.put("pattern", StixPattern.forName(r.name()));
    o.put("pattern_type", "stix");
    o.put("pattern_version", SPEC_VERSION);
    o.put("valid_from", ExportItems.timestamp(created));
    o.put("confidence", DENY_RULE_CONFIDENCE);
    o.putArray("labels").add("operator-deny");
    return o;
  }

  /** The properties every STIX Domain Object has (§3.2). */
  private ObjectNode common(String type, String id, Instant created, Instant modified) {
    ObjectNode o = json.createObjectNode();
    o.put("type", type);
    o.put("spec_version", SPEC_VERSION);
    o.put("id", id);
    o.put("created", ExportItems.timestamp(created));
    o.put("modified", ExportItems.timestamp(modified));
    return o;
  }

  /** The score in [0, 1] as a STIX confidence in [0, 100]; a score that is not a number is 0. */
  static int confidence(double score) {
    if (Double.isNaN(score)) {
      return 0;
    }
    return (int) Math.round(Math.max(0, Math.min(1, score)) * 100);
  }
}
