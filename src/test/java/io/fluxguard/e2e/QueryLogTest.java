package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.policy.Source;
import io.fluxguard.querylog.QueryLogSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The per-query JSON log, written through its own bounded queue and writer thread into the data directory. */
class QueryLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private List<JsonNode> run(QueryLogSettings settings, int normalQueries) throws Exception {
    return run(settings, normalQueries, PolicySettings.DEFAULTS.modes());
  }

  /** {@code normalQueries} of www.example.test, then one of x.denied.test (a deny rule, in {@code modes}). */
  private List<JsonNode> run(QueryLogSettings settings, int normalQueries, Map<Source, Mode> modes) throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.dataDir = dir.resolve("data");
      o.queryLog = settings;
      PolicySettings d = PolicySettings.DEFAULTS;
      o.policy = new PolicySettings(modes, List.of(), List.of("denied.test"), d.lists(), d.listCheckInterval(),
          d.clientGroups(), d.detectionExpiry());
      try (TestServer server = new TestServer(o)) {
        for (int i = 0; i < normalQueries; i++) {
          DnsClient.udp(server.address, Names.query("www.example.test.", Type.A)); // a miss, then hits
        }
        DnsClient.udp(server.address, Names.query("x.denied.test.", Type.A));
        assertThat(server.registry.scrape()).contains("fluxguard_querylog_lines_total{outcome=\"dropped\"} 0.0")
            .contains("fluxguard_querylog_lines_total{outcome=\"written\"}");
      } // closing writes what is queued
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("data").resolve("querylog").resolve("queries.jsonl"))) {
      lines.add(JSON.readTree(l));
    }
    return lines;
  }

  @Test
  void all_oneLinePerQuery_withTheDocumentedFields() throws Exception {
    List<JsonNode> lines = run(new QueryLogSettings(QueryLogSettings.Mode.ALL, 100, false, "10MB", 7, "100MB"), 2);
    assertThat(lines).hasSize(3);
    JsonNode miss = lines.get(0);
    assertThat(miss.path("client").asText()).isEqualTo("127.0.0.1");
    assertThat(miss.path("transport").asText()).isEqualTo("udp");
    assertThat(miss.path("name").asText()).isEqualTo("www.example.test");
    assertThat(miss.path("type").asText()).isEqualTo("A");
    assertThat(miss.path("rcode").asText()).isEqualTo("NOERROR");
    assertThat(miss.path("outcome").asText()).isEqualTo("upstream");
    assertThat(miss.path("cache_hit").asBoolean()).isFalse();
    assertThat(miss.path("upstream").asText()).startsWith("127.0.0.1:");
    assertThat(miss.path("decision").asText()).isEqualTo("answered");
    assertThat(miss.has("latency_ms") && miss.has("time") && miss.has("score")).isTrue();
    assertThat(lines.get(1).path("cache_hit").asBoolean()).isTrue();
    JsonNode blocked = lines.get(2);
    assertThat(blocked.path("decision").asText()).isEqualTo("blocked");
    assertThat(blocked.path("source").asText()).isEqualTo("deny");
    assertThat(blocked.path("action").asText()).isEqualTo("sinkhole");
  }

  @Test
  void monitoredMatch_answeredNormally_loggedAsWouldBlock_evenWhenSampled() throws Exception {
    Map<Source, Mode> modes = new EnumMap<>(PolicySettings.DEFAULTS.modes());
    modes.put(Source.DENY, Mode.MONITOR);
    List<JsonNode> lines = run(new QueryLogSettings(QueryLogSettings.Mode.SAMPLED, 1000, false, "10MB", 7, "100MB"), 5, modes);
    assertThat(lines).hasSize(2); // the first of 5 unmonitored queries, and the would-block one
    JsonNode monitored = lines.get(1);
    assertThat(monitored.path("name").asText()).isEqualTo("x.denied.test");
    assertThat(monitored.path("decision").asText()).isEqualTo("would-block");
    assertThat(monitored.path("source").asText()).isEqualTo("deny");
    assertThat(monitored.path("rcode").asText()).isEqualTo("NOERROR");
    assertThat(monitored.path("outcome").asText()).isEqualTo("upstream"); // the normal answer
  }

  @Test
  void sampledAndHashed_everyBlockOneInNOfTheRest_clientsHashedStably() throws Exception {
    List<JsonNode> lines = run(new QueryLogSettings(QueryLogSettings.Mode.SAMPLED, 1000, true, "10MB", 7, "100MB"), 20);
    assertThat(lines).hasSize(2); // the first of 20 unblocked queries, and the blocked one
    assertThat(lines.get(1).path("decision").asText()).isEqualTo("blocked");
    String hashed = lines.get(0).path("client").asText();
    assertThat(hashed).matches("[0-9a-f]{16}").isEqualTo(lines.get(1).path("client").asText());
    assertThat(Files.exists(dir.resolve("data").resolve("query-log.key"))).isTrue();
  }
}
