package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fluxguard.admin.AdminSettings;
import io.fluxguard.admin.AdminToken;
import io.fluxguard.policy.Action;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.sinkhole.listener.SinkholeProtocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** The admin REST API against a running server, with real queries behind every answer. */
class AdminApiTest {
  private static final String VIEWER = "viewer-token-0123456789abcdef";
  private static final String OPERATOR = "operator-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ScriptedUpstream upstream;
  private TestServer server;
  private final ManualTicker ticker = new ManualTicker();
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("malware.txt"), "listed.test\n");
    upstream = new ScriptedUpstream();
    upstream.on("www.evil.test.", FluxDetectionTest.rotating(180, 7));
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.ticker = ticker;
    o.detection = FluxDetectionTest.settings(FluxDetectionTest.asnFile(dir), false);
    o.dataDir = dir.resolve("data");
    PolicySettings d = PolicySettings.DEFAULTS;
    o.policy = new PolicySettings(d.modes(), List.of(), List.of(),
        List.of(new ListSettings("malware", dir.resolve("malware.txt"), ListFormat.AUTO, Mode.ENFORCE, Action.SINKHOLE)),
        d.listCheckInterval(), d.clientGroups(), d.detectionExpiry());
    o.sinkholeListener = SinkholeListenerSettings.DEFAULTS.withListeners(
        List.of(SinkholeListenerSettings.Endpoint.http(new InetSocketAddress("127.0.0.1", 0))));
    o.admin = new AdminSettings(new InetSocketAddress("127.0.0.1", 0),
        List.of(new AdminToken(VIEWER, AdminToken.Role.VIEWER), new AdminToken(OPERATOR, AdminToken.Role.OPERATOR)), 64 * 1024);
    server = new TestServer(o);
    base = "http://127.0.0.1:" + server.fluxguard.adminAddress().getPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.close();
  }

  private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(r.body());
  }

  private String address(String name) throws Exception {
    Message m = DnsClient.udp(server.address, Names.query(name, Type.A));
    return Names.addresses(m).stream().findFirst().orElse("none");
  }

  @Test
  void health_open_everythingElseNeedsAToken() throws Exception {
    assertThat(json(call("GET", "/healthz", null, null), 200).path("status").asText()).isEqualTo("ok");
    assertThat(json(call("GET", "/readyz", null, null), 200).path("ready").asBoolean()).isTrue();
    JsonNode missing = json(call("GET", "/api/v1/stats", null, null), 401);
    assertThat(missing.path("error").asText()).contains("bearer token");
    assertThat(call("GET", "/api/v1/stats", null, null).headers().firstValue("WWW-Authenticate")).isPresent();
    json(call("GET", "/api/v1/stats", "wrong-token-0123456789abcdef", null), 401);
    json(call("GET", "/metrics", null, null), 401);
  }

  @Test
  void viewerReads_operatorChanges_viewerGets403() throws Exception {
    json(call("GET", "/api/v1/stats", VIEWER, null), 200);
    JsonNode forbidden = json(call("POST", "/api/v1/rules/deny", VIEWER, "{\"name\":\"bad.test\"}"), 403);
    assertThat(forbidden.path("error").asText()).contains("operator");
    json(call("POST", "/api/v1/cache/flush", VIEWER, null), 403);
  }

  @Test
  void badInput_400WithJsonError_noStackTrace() throws Exception {
    JsonNode notJson = json(call("POST", "/api/v1/rules/deny", OPERATOR, "{not json"), 400);
    assertThat(notJson.path("error").asText()).isEqualTo("the body is not valid JSON");
    assertThat(json(call("POST", "/api/v1/rules/deny", OPERATOR, "{\"name\":\"no spaces allowed.test\"}"), 400)
        .path("error").asText()).startsWith("not a domain name");
    assertThat(json(call("GET", "/api/v1/decision", VIEWER, null), 400).path("error").asText()).isEqualTo("a name is required");
    json(call("GET", "/api/v1/detections?limit=0", VIEWER, null), 400);
    json(call("GET", "/api/v1/sinkhole/hits?since=yesterday", VIEWER, null), 400);
    json(call("GET", "/api/v1/nothing", VIEWER, null), 404);
    json(call("GET", "/api/v1/cache/flush", OPERATOR, null), 405);
    HttpResponse<String> big = call("POST", "/api/v1/rules/deny", OPERATOR, "{\"name\":\"" + "a".repeat(100_000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("\"error\"").contains("request body is longer than");
    assertThat(notJson.toString()).doesNotContain("Exception").doesNotContain("at io.");
  }

  @Test
  void denyRule_addedBlocksAtOnce_listedAndAudited_thenDeleted() throws Exception {
    assertThat(address("www.bad.test.")).isNotEqualTo("0.0.0.0");
    JsonNode added = json(call("POST", "/api/v1/rules/deny", OPERATOR, "{\"name\":\"bad.test\",\"comment\":\"phishing\"}"), 201);
    assertThat(added.path("name").asText()).isEqualTo("bad.test");
    assertThat(address("www.bad.test.")).isEqualTo("0.0.0.0");
    JsonNode list = json(call("GET", "/api/v1/rules/deny", VIEWER, null), 200);
    assertThat(list.path("items").get(0).path("comment").asText()).isEqualTo("phishing");
    json(call("DELETE", "/api/v1/rules/deny/bad.test", OPERATOR, null), 200);
    json(call("DELETE", "/api/v1/rules/deny/bad.test", OPERATOR, null), 404);
    server.fluxguard.cache().invalidateAll();
    assertThat(address("www.bad.test.")).isNotEqualTo("0.0.0.0");
    List<String> audit = Files.readAllLines(dir.resolve("data").resolve("audit.jsonl"));
    assertThat(audit).anyMatch(l -> l.contains("\"action\":\"deny-rule-add\"") && l.contains("\"target\":\"bad.test\"") && l.contains("\"who\":\"token:"));
    assertThat(audit).anyMatch(l -> l.contains("deny-rule-delete"));
    assertThat(String.join("\n", audit)).doesNotContain(OPERATOR);
  }

  @Test
  void fluxName_decisionShowsReasonsAndEvidence_reviewQueueConfirmsAndDismisses() throws Exception {
    address("www.evil.test.");
    ticker.advance(Duration.ofSeconds(181));
    assertThat(address("www.evil.test.")).isEqualTo("0.0.0.0");
    JsonNode decision = json(call("GET", "/api/v1/decision?name=www.evil.test&type=A&client=10.1.2.3", VIEWER, null), 200);
    assertThat(decision.path("answer").asText()).isEqualTo("blocked before resolving");
    assertThat(decision.path("decision").path("source").asText()).isEqualTo("detections");
    assertThat(decision.path("detection").path("reasons").get(0).asText()).contains("16 addresses in 16 networks");
    assertThat(decision.path("evidence").path("addresses")).hasSize(16);
    assertThat(decision.path("evidence").path("addresses").get(0).path("organisation").asText()).startsWith("AS645");
    assertThat(decision.path("evidence").path("answers").asInt()).isEqualTo(2);

    JsonNode detections = json(call("GET", "/api/v1/detections?sort=-score&limit=10", VIEWER, null), 200);
    assertThat(detections.path("total").asInt()).isEqualTo(1);
    assertThat(detections.path("items").get(0).path("name").asText()).isEqualTo("www.evil.test");
    assertThat(json(call("GET", "/api/v1/detections/www.evil.test", VIEWER, null), 200).path("asns")).hasSize(16);
    assertThat(json(call("GET", "/api/v1/evidence/www.evil.test", VIEWER, null), 200).path("distinct_networks").asInt()).isEqualTo(16);
    json(call("GET", "/api/v1/evidence/unknown.test", VIEWER, null), 404);

    assertThat(json(call("POST", "/api/v1/detections/www.evil.test/confirm", OPERATOR, null), 200).path("source").asText())
        .isEqualTo("operator");
    JsonNode dismissed = json(call("POST", "/api/v1/detections/www.evil.test/dismiss", OPERATOR, null), 200);
    assertThat(dismissed.path("allow_rule").path("name").asText()).isEqualTo("www.evil.test");
    json(call("GET", "/api/v1/detections/www.evil.test", VIEWER, null), 404);
    ticker.advance(Duration.ofSeconds(181));
    assertThat(address("www.evil.test.")).isNotEqualTo("0.0.0.0"); // the dismissal is an allow rule
  }

  @Test
  void listedName_decision_sinkholeHitsAndClients_stats_reload_flush_metrics() throws Exception {
    assertThat(address("www.listed.test.")).isEqualTo("0.0.0.0");
    JsonNode decision = json(call("GET", "/api/v1/decision?name=www.listed.test", VIEWER, null), 200);
    assertThat(decision.path("decision").path("matched").asText()).isEqualTo("list malware: listed.test");
    assertThat(decision.path("decision").path("extended_dns_error").asInt()).isEqualTo(17);

    InetSocketAddress sink = server.fluxguard.blocking().listener().boundAddresses(SinkholeProtocol.HTTP).get(0);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", sink.getPort())) { // HttpClient may not set Host
      socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: www.listed.test\r\nConnection: close\r\n\r\n".getBytes());
      socket.getInputStream().readAllBytes();
    }
    JsonNode hits = null;
    for (int i = 0; i < 100 && (hits == null || hits.path("items").isEmpty()); i++) {
      hits = json(call("GET", "/api/v1/sinkhole/hits?client=127.0.0.1", VIEWER, null), 200);
      Thread.sleep(20);
    }
    assertThat(hits.path("items").get(0).path("queried_name").asText()).isEqualTo("www.listed.test");
    JsonNode clients = json(call("GET", "/api/v1/sinkhole/clients", VIEWER, null), 200);
    assertThat(clients.path("items").get(0).path("client").asText()).isEqualTo("127.0.0.1");

    JsonNode stats = json(call("GET", "/api/v1/stats", VIEWER, null), 200);
    assertThat(stats.path("lists").get(0).path("entries").asInt()).isEqualTo(1);
    assertThat(stats.path("queries_answered").asDouble()).isGreaterThanOrEqualTo(1);

    Files.writeString(dir.resolve("malware.txt"), "listed.test\nother.test\n");
    JsonNode reloaded = json(call("POST", "/api/v1/lists/reload", OPERATOR, null), 200);
    assertThat(reloaded.path("lists").get(0).path("entries").asInt()).isEqualTo(2);
    assertThat(json(call("POST", "/api/v1/cache/flush", OPERATOR, null), 200).has("flushed")).isTrue();

    HttpResponse<String> metrics = call("GET", "/metrics", VIEWER, null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body()).contains("fluxguard_queries_total", "fluxguard_policy_decisions_total", "fluxguard_query_latency_seconds",
        "fluxguard_cache_size", "fluxguard_detections", "fluxguard_rules{kind=\"deny\"}", "fluxguard_list_entries 2.0",
        "fluxguard_sinkhole_contacts_total 1.0", "fluxguard_detector_tracked{kind=\"names\"}", "jvm_memory_used_bytes",
        "netty_eventexecutor_tasks_pending");
  }

  @Test
  void exports_rpzRoundTripsIntoAList_stixHasTheRequiredProperties_csvHasARowEach() throws Exception {
    address("www.evil.test.");
    ticker.advance(Duration.ofSeconds(181));
    address("www.evil.test."); // judged flux: a detection
    json(call("POST", "/api/v1/rules/deny", OPERATOR, "{\"name\":\"phish.test\",\"comment\":\"ticket 4711\"}"), 201);

    HttpResponse<String> rpz = call("GET", "/api/v1/export/rpz?zone=shared.rpz", VIEWER, null);
    assertThat(rpz.statusCode()).isEqualTo(200);
    Path zone = dir.resolve("shared.rpz");
    Files.writeString(zone, rpz.body());
    // Another fluxguard subscribes to it as a list.
    var loaded = io.fluxguard.policy.lists.ListReader.read(
        new ListSettings("shared", zone, ListFormat.AUTO, Mode.ENFORCE, Action.SINKHOLE));
    assertThat(loaded.format()).isEqualTo(ListFormat.RPZ);
    assertThat(loaded.names().match("www.evil.test")).isNotNegative();
    assertThat(loaded.names().match("a.phish.test")).isNotNegative();
    assertThat(loaded.names().match("good.test")).isNegative();
    assertThat(loaded.addresses().match(Names.ip("10.3.0.7"))).isNotNegative();

    JsonNode stix = JSON.readTree(call("GET", "/api/v1/export/stix?producer=agency-a", VIEWER, null).body());
    assertThat(stix.path("type").asText()).isEqualTo("bundle");
    assertThat(stix.path("id").asText()).startsWith("bundle--");
    JsonNode indicators = JSON.createArrayNode();
    for (JsonNode o : stix.path("objects")) {
      assertThat(o.path("spec_version").asText()).isEqualTo("2.1");
      assertThat(o.path("id").asText()).startsWith(o.path("type").asText() + "--");
      assertThat(o.has("created") && o.has("modified")).isTrue();
      if (o.path("type").asText().equals("indicator")) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) indicators).add(o);
        assertThat(o.path("pattern_type").asText()).isEqualTo("stix");
        assertThat(o.has("valid_from")).isTrue();
        assertThat(o.path("confidence").asInt()).isBetween(0, 100);
      }
    }
    assertThat(indicators).hasSize(2);
    assertThat(indicators.toString()).contains("domain-name:value = 'www.evil.test'").contains("ipv4-addr:value = '10.");

    HttpResponse<String> csv = call("GET", "/api/v1/export/csv", VIEWER, null);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body().split("\r\n")).hasSize(3); // the header, the detection, the deny rule
    json(call("GET", "/api/v1/export/xml", VIEWER, null), 404);
  }

  @Test
  void openApi_servedAsKeptInTheRepository_andDescribesEveryEndpointTheServerAnswers() throws Exception {
    JsonNode doc = json(call("GET", "/api/v1/openapi.json", VIEWER, null), 200);
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    assertThat(JSON.readTree(Files.readString(Path.of("..", "..", "docs", "openapi.json")))).isEqualTo(doc);
    List<String> documented = new java.util.ArrayList<>();
    doc.path("paths").fieldNames().forEachRemaining(documented::add);
    assertThat(documented).contains("/healthz", "/readyz", "/metrics", "/api/v1/decision", "/api/v1/detections",
        "/api/v1/detections/{name}", "/api/v1/detections/{name}/confirm", "/api/v1/detections/{name}/dismiss",
        "/api/v1/rules/allow", "/api/v1/rules/deny", "/api/v1/rules/deny/{name}", "/api/v1/evidence/{name}",
        "/api/v1/sinkhole/hits", "/api/v1/sinkhole/clients", "/api/v1/stats", "/api/v1/lists/reload",
        "/api/v1/cache/flush", "/api/v1/export/rpz", "/api/v1/export/stix", "/api/v1/export/csv", "/api/v1/openapi.json");
    // Every documented GET without path parameters is answered (not 404) by a viewer.
    for (String path : documented) {
      if (!path.contains("{") && doc.path("paths").path(path).has("get")) {
        assertThat(call("GET", path, VIEWER, null).statusCode()).as(path).isNotEqualTo(404);
      }
    }
  }

  @Test
  void metrics_everyDocumentedNameIsScraped_andEveryLineIsPrometheusText() throws Exception {
    address("www.evil.test.");
    ticker.advance(Duration.ofSeconds(181));
    address("www.evil.test."); // flux: detections, policy decisions, detector meters
    address("www.listed.test.");
    String body = call("GET", "/metrics", VIEWER, null).body();
    java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\})? -?([0-9.eE+-]+|NaN|\\+Inf|-Inf)");
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        assertThat(line).as("a sample line").matches(sample);
      }
    }
    List<String> documented = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\| `(fluxguard\\.[a-z.]+)` \\|", java.util.regex.Pattern.MULTILINE)
        .matcher(Files.readString(Path.of("..", "..", "docs", "metrics.md")));
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).hasSizeGreaterThan(20);
    for (String name : documented) {
      if (name.equals("fluxguard.alerts") || name.equals("fluxguard.detector.confirmations") || name.equals("fluxguard.querylog.lines")) {
        continue; // registered only when alerts, active confirmation, the query log are on (AlertsTest, ActiveConfirmationTest, QueryLogTest)
      }
      assertThat(body).as(name).contains(name.replace('.', '_'));
    }
  }
}
