package io.fluxguard.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.FluxFeatures;
import io.fluxguard.policy.Decision;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import io.fluxguard.sinkhole.listener.ClientActivity;
import io.fluxguard.sinkhole.listener.SinkholeHit;
import java.time.Instant;

/** The admin API's JSON shapes, in one place (docs/admin-api.md). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static ObjectNode detection(Detection d) {
    ObjectNode n = object()
        .put("name", d.name())
        .put("registered_domain", d.registeredDomain())
        .put("first_seen", time(d.firstSeen()))
        .put("last_seen", time(d.lastSeen()))
        .put("expires", time(d.expires()))
        .put("score", d.score())
        .put("source", d.source());
    d.reasons().forEach(n.putArray("reasons")::add);
    d.addresses().forEach(n.putArray("addresses")::add);
    d.asns().forEach(n.putArray("asns")::add);
    return n;
  }

  static ObjectNode rule(OperatorRule r) {
    return object().put("kind", r.kind()).put("name", r.name()).put("created", time(r.created()))
        .put("comment", r.comment()).put("origin", r.origin());
  }

  static ObjectNode decision(Decision d) {
    ObjectNode n = object()
        .put("source", d.source().key())
        .put("mode", d.mode().key())
        .put("action", d.action().key())
        .put("matched", d.matched())
        .put("reason", d.reason())
        .put("blocks", d.enforced() && !d.answersNormally());
    if (!d.answersNormally()) {
      n.put("extended_dns_error", d.extendedErrorCode());
    }
    return n;
  }

  static ObjectNode assessment(FluxAssessment a) {
    FluxFeatures f = a.features();
    ObjectNode n = object()
        .put("name", a.name())
        .put("registered_domain", a.registeredDomain())
        .put("verdict", a.verdict().tag())
        .put("score", a.score())
        .put("low_confidence", a.lowConfidence());
    a.reasons().forEach(n.putArray("reasons")::add);
    n.putObject("features")
        .put("addresses", f.addresses())
        .put("asns", f.asns())
        .put("organisations", f.organisations())
        .put("prefixes", f.prefixes())
        .put("prefix_entropy", f.prefixEntropy())
        .put("answers", f.answers())
        .put("answer_sets", f.answerSets())
        .put("new_per_answer", f.newPerAnswer())
        .put("early_changes", f.earlyChanges())
        .put("ttl_min", f.ttlMin())
        .put("ttl_median", f.ttlMedian())
        .put("name_servers", f.nameServers())
        .put("name_server_changes", f.nameServerChanges())
        .put("name_server_networks", f.nameServerNetworks())
        .put("listed_share", f.listedShare())
        .put("holz", f.holz())
        .put("shared_with_flux", f.sharedWithFlux());
    return n;
  }

  /** {@code detectorNow}: the detector's clock (seconds) at {@code wallNow}, to turn its times into dates. */
  static ObjectNode evidence(FluxDetector.EvidenceSummary e, int detectorNow, Instant wallNow) {
    Instant detectorEpoch = wallNow.minusSeconds(detectorNow);
    ObjectNode n = object()
        .put("name", e.name())
        .put("kind", e.registeredDomain() ? "registered-domain" : "name")
        .put("answers", e.answers())
        .put("answer_set_changes", e.answerSetChanges())
        .put("early_changes", e.earlyChanges())
        .put("distinct_addresses", e.distinctAddresses())
        .put("distinct_networks", e.distinctNetworks())
        .put("distinct_organisations", e.distinctOrganisations())
        .put("distinct_prefixes", e.distinctPrefixes())
        .put("ttl_min", e.ttlMin())
        .put("ttl_median", e.ttlMedian())
        .put("name_servers", e.nameServers())
        .put("name_server_changes", e.nameServerChanges())
        .put("first_seen", time(detectorEpoch.plusSeconds(e.firstSeen())))
        .put("last_seen", time(detectorEpoch.plusSeconds(e.lastSeen())));
    ArrayNode a = n.putArray("addresses");
    for (FluxDetector.EvidenceAddress x : e.addresses()) {
      a.addObject().put("address", x.address()).put("asn", x.asn()).put("organisation", x.organisation())
          .put("cdn_cloud_or_hosting", x.listed());
    }
    return n;
  }

  static ObjectNode hit(SinkholeHit h) {
    return object()
        .put("time", time(h.time()))
        .put("client", h.client().getHostAddress())
        .put("client_port", h.clientPort())
        .put("local_port", h.localPort())
        .put("protocol", h.protocol().label())
        .put("host", h.host())
        .put("queried_name", h.queriedName())
        .put("query_time", time(h.queryTime()))
        .put("reason", h.reason());
  }

  static ObjectNode client(ClientActivity c) {
    return object().put("client", c.client().getHostAddress()).put("hits", c.hits()).put("last_hit", time(c.lastHit()))
        .put("distinct_names", c.distinctNames());
  }
}
