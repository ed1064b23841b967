package io.fluxguard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import io.fluxguard.cache.CacheKey;
import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.policy.Decision;
import io.fluxguard.policy.PolicyEngine;
import io.fluxguard.policy.Source;
import io.fluxguard.policy.lists.LoadedList;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import io.fluxguard.sinkhole.listener.SinkholeHit;
import io.fluxguard.upstream.Upstream;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The admin API's endpoints (docs/admin-api.md). GET needs the viewer role, anything that
 * changes state the operator role; {@code /healthz} and {@code /readyz} need no token. Each
 * change is in the {@link AuditLog} before it is answered. Handlers never block: a change that
 * waits for a journal's fsync answers when its future completes.
 */
public final class AdminApi {
  private static final String V1 = "/api/v1";

  private final AdminContext ctx;
  /** The OpenAPI 3 description of this API (docs/openapi.json), served as it is. */
  static final String OPENAPI = openApi();

  private static String openApi() {
    try (var in = AdminApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public AdminApi(AdminContext ctx) {
    this.ctx = ctx;
  }

  /** Endpoints open without a token (container health checks). */
  static boolean isOpen(String method, String path) {
    return method.equals("GET") && (path.equals("/healthz") || path.equals("/readyz"));
  }

  static AdminResponse error(int status, String message) {
    return AdminResponse.json(status, Json.object().put("error", message).put("status", status).toString());
  }

  private static CompletableFuture<AdminResponse> ok(JsonNode body) {
    return CompletableFuture.completedFuture(AdminResponse.json(200, body.toPrettyString()));
  }

  private static void requireOperator(AdminRequest r) {
    if (r.role() != AdminToken.Role.OPERATOR) {
      throw new ApiException(403, "this needs the operator role");
    }
  }

  public CompletableFuture<AdminResponse> handle(AdminRequest r) {
    String p = r.path();
    String m = r.method();
    if (!m.equals("GET")) {
      requireOperator(r);
    }
    if (p.equals("/healthz")) {
      return get(m, () -> ok(Json.object().put("status", "ok")));
    }
    if (p.equals("/readyz")) {
      return get(m, this::ready);
    }
    if (p.equals("/metrics")) {
      return get(m, this::metrics);
    }
    if (!p.startsWith(V1 + "/")) {
      throw ApiException.notFound("no such endpoint: " + p);
    }
    String[] s = p.substring(V1.length() + 1).split("/", -1);
    switch (s[0]) {
      case "decision":
        return get(m, () -> decision(r));
      case "stats":
        return get(m, this::stats);
      case "openapi.json":
        return get(m, () -> CompletableFuture.completedFuture(AdminResponse.text(200, AdminResponse.JSON, OPENAPI)));
      case "evidence":
        return get(m, () -> evidence(segment(s, 1)));
      case "detections":
        if (s.length == 1) {
          return get(m, () -> detections(r));
        }
        if (s.length == 2) {
          return get(m, () -> detection(name(s[1])));
        }
        if (s.length == 3 && s[2].equals("confirm")) {
          return post(m, () -> confirm(r, name(s[1])));
        }
        if (s.length == 3 && s[2].equals("dismiss")) {
          return post(m, () -> dismiss(r, name(s[1])));
        }
        break;
      case "rules":
        if (s.length >= 2 && (s[1].equals(OperatorRule.ALLOW) || s[1].equals(OperatorRule.DENY))) {
          return rules(r, s[1], s.length == 3 ? name(s[2]) : null);
        }
        break;
      case "sinkhole":
        if (s.length == 2 && s[1].equals("hits")) {
          return get(m, () -> hits(r));
        }
        if (s.length == 2 && s[1].equals("clients")) {
          return get(m, this::clients);
        }
        break;
      case "lists":
        if (s.length == 2 && s[1].equals("reload")) {
          return post(m, () -> reloadLists(r));
        }
        break;
      case "export":
        if (s.length == 2) {
          return get(m, () -> export(r, s[1]));
        }
        break;
      case "cache":
        if (s.length == 2 && s[1].equals("flush")) {
          return post(m, () -> flushCache(r));
        }
        break;
      default:
        break;
    }
    throw ApiException.notFound("no such endpoint: " + p);
  }

  private interface Endpoint {
    CompletableFuture<AdminResponse> run();
  }

  private static CompletableFuture<AdminResponse> get(String method, Endpoint e) {
    if (!method.equals("GET")) {
      throw new ApiException(405, "use GET");
    }
    return e.run();
  }

  private static CompletableFuture<AdminResponse> post(String method, Endpoint e) {
    if (!method.equals("POST")) {
      throw new ApiException(405, "use POST");
    }
    return e.run();
  }

  private static String segment(String[] s, int i) {
    if (s.length != i + 1 || s[i].isEmpty()) {
      throw ApiException.notFound("expected /api/v1/" + s[0] + "/{name}");
    }
    return name(s[i]);
  }

  /** A domain name from the request: lower case, no trailing dot, checked. */
  static String name(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("a name is required");
    }
    String n = text.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.length() > 253 || !n.matches("[a-z0-9_*]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*")) {
      throw ApiException.badRequest("not a domain name: " + abbreviate(text));
    }
    return n;
  }

  private static String abbreviate(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("[\\p{Cntrl}]", "?");
  }

  // ---- health and numbers ----

  private CompletableFuture<AdminResponse> ready() {
    boolean ready = ctx.ready().getAsBoolean();
    long up = ctx.upstreams().stream().filter(Upstream::isUp).count();
    ObjectNode n = Json.object().put("ready", ready).put("upstreams_up", up).put("upstreams", ctx.upstreams().size());
    return CompletableFuture.completedFuture(AdminResponse.json(ready ? 200 : 503, n.toPrettyString()));
  }

  private CompletableFuture<AdminResponse> metrics() {
    if (!(ctx.registry() instanceof PrometheusMeterRegistry prometheus)) {
      throw new ApiException(503, "metrics exposition needs the Prometheus registry");
    }
    return CompletableFuture.completedFuture(
        AdminResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
  }

  private CompletableFuture<AdminResponse> stats() {
    ObjectNode n = Json.object()
        .put("started", ctx.started().toString())
        .put("uptime_seconds", java.time.Duration.between(ctx.started(), ctx.clock().instant()).toSeconds())
        .put("cache_entries", ctx.cache().size())
        .put("detections", ctx.blocking().detections().list().size())
        .put("allow_rules", ctx.blocking().rules().count(OperatorRule.ALLOW))
        .put("deny_rules", ctx.blocking().rules().count(OperatorRule.DENY))
        .put("sinkhole_hits_kept", ctx.blocking().hits().size());
    if (ctx.detector() != null) {
      n.put("tracked_names", ctx.detector().trackedNames())
          .put("tracked_domains", ctx.detector().trackedDomains())
          .put("flux_network_addresses", ctx.detector().indexedAddresses());
    }
    var queries = ctx.registry().find("fluxguard.queries").counters();
    n.put("queries_answered", queries.stream().mapToDouble(c -> c.count()).sum());
    ArrayNode lists = n.putArray("lists");
    for (LoadedList l : ctx.blocking().lists().snapshot()) {
      lists.addObject().put("name", l.name()).put("file", l.settings().path().toString()).put("format", l.format().key())
          .put("mode", l.settings().mode().key()).put("entries", l.entries()).put("skipped_lines", l.skipped())
          .put("loaded_at", l.loadedAt().toString());
    }
    ArrayNode ups = n.putArray("upstreams");
    for (Upstream u : ctx.upstreams()) {
      ups.addObject().put("upstream", u.label()).put("up", u.isUp());
    }
    return ok(n);
  }

  // ---- why was it blocked ----

  private CompletableFuture<AdminResponse> decision(AdminRequest r) {
    String name = name(r.param("name"));
    String typeText = r.param("type") == null ? "A" : r.param("type").trim().toUpperCase(Locale.ROOT);
    int type = Type.value(typeText);
    if (type < 0) {
      throw ApiException.badRequest("unknown type: " + abbreviate(typeText));
    }
    InetAddress client = clientParam(r);
    PolicyEngine engine = ctx.blocking().engine();
    ObjectNode n = Json.object().put("name", name).put("type", Type.string(type));
    if (client != null) {
      n.put("client", client.getHostAddress()).put("client_group", engine.groupOf(client));
    }
    Decision before = engine.beforeResolve(client, name);
    CachedAnswer cached = cached(name, type);
    Decision after = null;
    if ((before == null || before.source() != Source.ALLOW) && cached != null) {
      after = engine.afterResolve(client, name, cached.content().chain(), cached.content().addresses(), cached.assessment());
    }
    Decision d = before != null && (before.enforced() || after == null) ? before : after;
    String answer;
    if (d != null && d.enforced() && !d.answersNormally()) {
      answer = before == d ? "blocked before resolving" : "blocked on the answer";
    } else if (cached == null && (before == null || before.answersNormally())) {
      answer = "resolved upstream (not in the cache); its CNAME chain, addresses and flux verdict are checked when it arrives";
    } else {
      answer = "answered normally";
    }
    n.put("answer", answer);
    n.set("decision", d == null ? null : Json.decision(d));
    if (cached != null) {
      ObjectNode c = n.putObject("cached");
      c.put("rcode", cached.template().rcode());
      cached.content().chain().forEach(c.putArray("cname_chain")::add);
      ArrayNode addresses = c.putArray("addresses");
      for (byte[] a : cached.content().addresses()) {
        try {
          addresses.add(InetAddresses.toAddrString(InetAddress.getByAddress(a)));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      if (cached.assessment() != null) {
        n.set("assessment", Json.assessment(cached.assessment()));
      }
    }
    Detection det = ctx.blocking().detections().match(name);
    if (det != null) {
      n.set("detection", Json.detection(det));
    }
    if (ctx.detector() != null) {
      String holder = cached != null && cached.assessment() != null ? cached.assessment().name() : name;
      FluxDetector.EvidenceSummary e = ctx.detector().evidence(holder);
      if (e != null) {
        n.set("evidence", Json.evidence(e, ctx.detector().nowSeconds(), ctx.clock().instant()));
      }
    }
    return ok(n);
  }

  private CachedAnswer cached(String name, int type) {
    try {
      return ctx.cache().get(new CacheKey(Name.fromString(name + "."), type, DClass.IN, false, false));
    } catch (TextParseException e) {
      throw ApiException.badRequest("not a domain name: " + abbreviate(name));
    }
  }

  private CompletableFuture<AdminResponse> evidence(String name) {
    if (ctx.detector() == null) {
      throw new ApiException(503, "the flux detector is off (detector.mode: off)");
    }
    FluxDetector.EvidenceSummary e = ctx.detector().evidence(name);
    if (e == null) {
      throw ApiException.notFound("no evidence kept for " + name);
    }
    return ok(Json.evidence(e, ctx.detector().nowSeconds(), ctx.clock().instant()));
  }

  // ---- the review queue ----

  private CompletableFuture<AdminResponse> detections(AdminRequest r) {
    Instant since = time(r, "since");
    String domain = r.param("domain") == null ? null : name(r.param("domain"));
    String source = r.param("source");
    double minScore = r.param("min_score") == null ? 0 : number(r, "min_score");
    Stream<Detection> all = ctx.blocking().detections().list().stream()
        .filter(d -> since == null || !d.lastSeen().isBefore(since))
        .filter(d -> domain == null || d.registeredDomain().equals(domain) || d.name().endsWith("." + domain) || d.name().equals(domain))
        .filter(d -> source == null || d.source().equals(source))
        .filter(d -> d.score() >= minScore);
    String sort = r.param("sort") == null ? "-last_seen" : r.param("sort");
    Comparator<Detection> order = switch (sort.replaceFirst("^-", "")) {
      case "last_seen" -> Comparator.comparing(Detection::lastSeen);
      case "first_seen" -> Comparator.comparing(Detection::firstSeen);
      case "score" -> Comparator.comparingDouble(Detection::score);
      case "name" -> Comparator.comparing(Detection::name);
      default -> throw ApiException.badRequest("sort is one of last_seen, first_seen, score, name (prefix - for descending)");
    };
    List<Detection> sorted = all.sorted(sort.startsWith("-") ? order.reversed() : order).toList();
    int offset = r.intParam("offset", 0, 0, Integer.MAX_VALUE);
    int limit = r.intParam("limit", 100, 1, 1000);
    ObjectNode n = Json.object().put("total", sorted.size()).put("offset", offset).put("limit", limit);
    ArrayNode items = n.putArray("items");
    sorted.stream().skip(offset).limit(limit).forEach(d -> items.add(Json.detection(d)));
    return ok(n);
  }

  private CompletableFuture<AdminResponse> detection(String name) {
    Detection d = ctx.blocking().detections().get(name);
    if (d == null || d.expiredAt(ctx.clock().instant())) {
      throw ApiException.notFound("no detection for " + name);
    }
    return ok(Json.detection(d));
  }

  private CompletableFuture<AdminResponse> confirm(AdminRequest r, String name) {
    return ctx.blocking().detections().confirmByOperator(name).thenApply(d -> {
      if (d == null) {
        ctx.audit().record(r.who(), "detection-confirm", name, "not-found");
        throw ApiException.notFound("no detection for " + name);
      }
      ctx.audit().record(r.who(), "detection-confirm", name, "ok");
      return AdminResponse.json(200, Json.detection(d).toPrettyString());
    });
  }

  /** A dismissal removes the detection and adds an allow rule, so the name is not flagged again. */
  private CompletableFuture<AdminResponse> dismiss(AdminRequest r, String name) {
    Detection d = ctx.blocking().detections().get(name);
    if (d == null) {
      throw ApiException.notFound("no detection for " + name);
    }
    String comment = "dismissed detection (score " + String.format(Locale.ROOT, "%.2f", d.score()) + ")";
    return ctx.blocking().rules().add(OperatorRule.ALLOW, name, comment)
        .thenCompose(rule -> ctx.blocking().detections().remove(name).thenApply(v -> rule))
        .thenApply(rule -> {
          ctx.audit().record(r.who(), "detection-dismiss", name, "ok; allow rule added");
          return AdminResponse.json(200, Json.object().put("dismissed", name).set("allow_rule", Json.rule(rule)).toPrettyString());
        });
  }

  // ---- operator rules ----

  private CompletableFuture<AdminResponse> rules(AdminRequest r, String kind, String pathName) {
    switch (r.method()) {
      case "GET" -> {
        if (pathName != null) {
          throw new ApiException(405, "GET the collection, /api/v1/rules/" + kind);
        }
        ArrayNode a = Json.array();
        ctx.blocking().rules().list(kind).forEach(x -> a.add(Json.rule(x)));
        return ok(Json.object().set("items", a));
      }
      case "POST" -> {
        JsonNode body = body(r);
        String name = name(body.path("name").asText(null));
        String comment = body.path("comment").asText("");
        if (comment.length() > 500) {
          throw ApiException.badRequest("comment: at most 500 characters");
        }
        return ctx.blocking().rules().add(kind, name, comment).thenApply(rule -> {
          ctx.audit().record(r.who(), kind + "-rule-add", name, "ok");
          return AdminResponse.json(201, Json.rule(rule).toPrettyString());
        });
      }
      case "DELETE" -> {
        String name = pathName != null ? pathName : name(r.param("name"));
        return ctx.blocking().rules().remove(kind, name).thenApply(had -> {
          ctx.audit().record(r.who(), kind + "-rule-delete", name, had ? "ok" : "not-found");
          if (!had) {
            throw ApiException.notFound("no " + kind + " rule for " + name);
          }
          return AdminResponse.json(200, Json.object().put("deleted", name).put("kind", kind).toPrettyString());
        });
      }
      default -> throw new ApiException(405, "use GET, POST or DELETE");
    }
  }

  private static JsonNode body(AdminRequest r) {
    try {
      JsonNode n = Json.MAPPER.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw ApiException.badRequest("expected a JSON object body");
      }
      return n;
    } catch (IOException e) {
      throw ApiException.badRequest("the body is not valid JSON");
    }
  }

  /** The optional {@code client} parameter: an IP address literal, or null when absent. */
  private static InetAddress clientParam(AdminRequest r) {
    if (r.param("client") == null) {
      return null;
    }
    try {
      return InetAddresses.forString(r.param("client").trim());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("client must be an IP address");
    }
  }

  // ---- the sinkhole's trail ----

  private CompletableFuture<AdminResponse> hits(AdminRequest r) {
    InetAddress client = clientParam(r);
    String name = r.param("name") == null ? null : name(r.param("name"));
    List<SinkholeHit> hits = ctx.blocking().hits().list(client, name, time(r, "since"), time(r, "until"), r.intParam("limit", 100, 1, 10_000));
    ArrayNode a = Json.array();
    hits.forEach(h -> a.add(Json.hit(h)));
    return ok(Json.object().set("items", a));
  }

  private CompletableFuture<AdminResponse> clients() {
    ArrayNode a = Json.array();
    ctx.blocking().hits().clients().forEach(c -> a.add(Json.client(c)));
    return ok(Json.object().set("items", a));
  }

  // ---- operations ----

  private CompletableFuture<AdminResponse> reloadLists(AdminRequest r) {
    CompletableFuture<AdminResponse> done = new CompletableFuture<>();
    ctx.blocking().reloadLists(failed -> {
      ctx.audit().record(r.who(), "lists-reload", "*", failed == 0 ? "ok" : failed + " failed (previous copies kept)");
      ArrayNode a = Json.array();
      for (LoadedList l : ctx.blocking().lists().snapshot()) {
        a.addObject().put("name", l.name()).put("entries", l.entries()).put("loaded_at", l.loadedAt().toString());
      }
      done.complete(AdminResponse.json(200, Json.object().put("failed", failed).set("lists", a).toPrettyString()));
    });
    return done;
  }

  private CompletableFuture<AdminResponse> flushCache(AdminRequest r) {
    long before = ctx.cache().size();
    ctx.cache().invalidateAll();
    ctx.audit().record(r.who(), "cache-flush", "*", "ok; " + before + " entries");
    return ok(Json.object().put("flushed", before));
  }

  /**
   * Detections in force and deny rules as indicators to share: {@code rpz} (a response policy
   * zone, {@code ?zone=} default rpz.fluxguard.local), {@code stix} (a STIX 2.1 bundle,
   * {@code ?producer=} default fluxguard — give each deployment its own, the ids derive from it),
   * {@code csv}. {@code ?addresses=false} leaves the evidence addresses out.
   */
  private CompletableFuture<AdminResponse> export(AdminRequest r, String format) {
    boolean addresses = !"false".equals(r.param("addresses"));
    io.fluxguard.policy.export.IndicatorExport writer;
    try {
      writer = switch (format) {
        case "rpz" -> new io.fluxguard.policy.export.RpzExport(
            r.param("zone") == null ? "rpz.fluxguard.local" : name(r.param("zone")), addresses);
        case "stix" -> new io.fluxguard.policy.export.StixExport(
            r.param("producer") == null ? "fluxguard" : abbreviate(r.param("producer")), addresses, true);
        case "csv" -> new io.fluxguard.policy.export.CsvExport();
        default -> throw ApiException.notFound("exports are rpz, stix and csv");
      };
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String text = writer.write(ctx.blocking().detections().list(), ctx.blocking().rules().list(OperatorRule.DENY), ctx.clock().instant());
    return CompletableFuture.completedFuture(AdminResponse.text(200, writer.mediaType(), text));
  }

  private static Instant time(AdminRequest r, String param) {
    String v = r.param(param);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(param + " must be an ISO-8601 time such as 2026-11-26T12:00:00Z");
    }
  }

  private static double number(AdminRequest r, String param) {
    try {
      return Double.parseDouble(r.param(param).trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(param + " must be a number");
    }
  }
}
