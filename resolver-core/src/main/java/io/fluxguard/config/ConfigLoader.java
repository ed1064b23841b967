package io.fluxguard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fluxguard.admin.AdminSettings;
import io.fluxguard.cache.CacheSettings;
import io.fluxguard.detection.ConfirmationSettings;
import io.fluxguard.detection.DetectionMode;
import io.fluxguard.detection.DetectionSettings;
import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.asn.AsnFormat;
import io.fluxguard.detector.score.ScoreSettings;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.acl.AclSettings;
import io.fluxguard.acl.RateLimitSettings;
import io.fluxguard.alerts.AlertSettings;
import io.fluxguard.querylog.QueryLogSettings;
import io.fluxguard.sinkhole.SinkholeSettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.server.ServerSettings;
import io.fluxguard.upstream.UpstreamSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the YAML file, environment variables and command-line overrides onto {@link
 * FluxguardConfig}, validating every key. The defaults here are the ones documented in {@code
 * config/fluxguard.yml}; a test keeps the two equal.
 */
public final class ConfigLoader {
  public static final int DNS_PORT = 53;
  static final List<String> DEFAULT_LISTEN = List.of("127.0.0.1:5353", "[::1]:5353");

  private final Map<String, String> env;
  private final Path resolvConf;
  private final List<String> notes = new ArrayList<>();

  public ConfigLoader(Map<String, String> env, Path resolvConf) {
    this.env = env;
    this.resolvConf = resolvConf;
  }

  /** Things worth a log line that are not errors (for example upstreams taken from resolv.conf). */
  public List<String> notes() {
    return notes;
  }

  /**
   * Loads the configuration.
   *
   * @param file the YAML file, or null for defaults only
   * @param overrides command-line values by key (for example {@code server.listen})
   */
  public FluxguardConfig load(Path file, Map<String, List<String>> overrides) throws ConfigException {
    JsonNode root = JsonNodeFactory.instance.objectNode();
    Map<String, Integer> lines = new HashMap<>();
    String name = file == null ? "defaults" : file.toString();
    if (file != null) {
      try {
        String text = Files.readString(file);
        root = parseWithLines(text, lines);
      } catch (NoSuchFileException e) {
        throw new ConfigException(List.of(name + ": file not found"));
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new ConfigException(
            List.of(name + ":" + (at == null ? 0 : at.getLineNr()) + ": invalid YAML: " + e.getOriginalMessage()));
      } catch (IOException e) {
        throw new ConfigException(List.of(name + ": cannot read: " + e.getMessage()));
      }
      if (root == null || root.isNull() || root.isMissingNode()) {
        root = JsonNodeFactory.instance.objectNode();
      } else if (!root.isObject()) {
        throw new ConfigException(List.of(name + ":1: expected a mapping of keys at the top level"));
      }
    }
    ConfigReader r = new ConfigReader(name, root, lines, env, overrides);
    FluxguardConfig config = read(r);
    r.checkUnknownKeys();
    r.checkUnknownVariables();
    if (!r.errors().isEmpty()) {
      throw new ConfigException(r.errors());
    }
    return config;
  }

  private FluxguardConfig read(ConfigReader r) {
    String addressHint = "an address like 127.0.0.1:5353 or [::1]:5353";
    List<InetSocketAddress> listen =
        r.list("server.listen", defaultListen(), addressHint, t -> HostPort.parse(t, DNS_PORT));
    if (listen.isEmpty() && r.errors().isEmpty()) {
      r.problem("server.listen", "expected at least one address");
    }
    int threads = r.integer("server.threads", 0, 0, 256);
    int edns =
        r.integer("server.edns-buffer-size", ResponseEncoder.DEFAULT_EDNS_PAYLOAD, 512, 65535);
    Duration idle =
        r.duration("server.tcp-idle-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1));
    int maxConnections = r.integer("server.tcp-max-connections", 1024, 1, 1_000_000);
    int maxPerConnection = r.integer("server.tcp-max-queries-per-connection", 100, 1, 65535);
    Duration grace =
        r.duration("server.shutdown-grace", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5));

    List<InetSocketAddress> servers =
        r.list("upstream.servers", List.of(), "an address like 9.9.9.9:53", t -> {
          InetSocketAddress a = HostPort.parse(t, DNS_PORT);
          if (a.getPort() == 0) {
            throw new IllegalArgumentException("an upstream needs a port from 1 to 65535");
          }
          return a;
        });
    Duration timeout =
        r.duration("upstream.timeout", Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMinutes(1));
    Duration attempt =
        r.duration("upstream.attempt-timeout", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMinutes(1));
    int threshold = r.integer("upstream.failure-threshold", 3, 1, 1000);
    Duration probe =
        r.duration("upstream.probe-interval", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1));
    int maxInflight = r.integer("upstream.max-inflight", UpstreamSettings.DEFAULT_MAX_INFLIGHT, 1, 10_000_000);
    if (attempt.compareTo(timeout) > 0) {
      String blamed = r.origin("upstream.attempt-timeout") != null ? "upstream.attempt-timeout" : "upstream.timeout";
      r.problem(blamed, "upstream.attempt-timeout (" + DurationText.format(attempt)
          + ") must not exceed upstream.timeout (" + DurationText.format(timeout) + ")");
    }

    long maxEntries = r.integer("cache.max-entries", 100_000, 0, 100_000_000);
    Duration minTtl = wholeSeconds(r, "cache.min-ttl", r.duration("cache.min-ttl", Duration.ZERO, Duration.ZERO, Duration.ofDays(7)));
    Duration maxTtl = wholeSeconds(r, "cache.max-ttl", r.duration("cache.max-ttl", Duration.ofDays(1), Duration.ZERO, Duration.ofDays(7)));
    Duration maxNegative =
        wholeSeconds(r, "cache.max-negative-ttl", r.duration("cache.max-negative-ttl", Duration.ofHours(1), Duration.ZERO, Duration.ofDays(1)));
    if (!maxTtl.isZero() && minTtl.compareTo(maxTtl) > 0) {
      String blamed = r.origin("cache.min-ttl") != null ? "cache.min-ttl" : "cache.max-ttl";
      r.problem(blamed, "cache.min-ttl (" + DurationText.format(minTtl) + ") must not exceed cache.max-ttl ("
          + DurationText.format(maxTtl) + ")");
    }

    DetectionSettings detection = detection(r);
    PolicySettings policy = PolicyConfig.policy(r);
    SinkholeSettings sinkhole = PolicyConfig.sinkhole(r);
    SinkholeListenerSettings listener = PolicyConfig.listener(r);
    QueryLogSettings queryLog = queryLog(r);
    AlertSettings alerts = alerts(r);
    RateLimitSettings rd = RateLimitSettings.DEFAULTS;
    int perSecond = r.integer("rate-limit.per-second", rd.perSecond(), 0, 10_000_000);
    int burst = r.integer("rate-limit.burst", rd.burst(), 0, 100_000_000);
    RateLimitSettings rateLimit = new RateLimitSettings(perSecond,
        burst == 0 ? 2 * perSecond : burst, // 0: twice the rate
        r.choice("rate-limit.action", rd.action(), RateLimitSettings.Action.values()),
        r.integer("rate-limit.max-clients", rd.maxClients(), 1, 100_000_000));
    AclSettings acl = new AclSettings(
        r.list("acl.allow", AclSettings.DEFAULT_ALLOW, "an address or CIDR like 10.0.0.0/8", PolicyConfig::network),
        r.choice("acl.action", AclSettings.DEFAULTS.action(), AclSettings.Action.values()));

    AdminSettings admin = AdminConfig.admin(r, addressHint);
    Path dataDir = r.value("data-dir", Path.of("data"), "a directory path", Path::of);

    if (servers.isEmpty()) {
      servers = systemUpstreams();
    }
    if (listen.isEmpty() || !r.errors().isEmpty()) {
      return null;
    }
    return new FluxguardConfig(
        new ServerSettings(listen, threads, edns, idle, maxConnections, maxPerConnection, grace),
        new UpstreamSettings(servers, timeout, attempt, threshold, probe, ResponseEncoder.DEFAULT_EDNS_PAYLOAD, maxInflight),
        new CacheSettings(maxEntries, minTtl, maxTtl, maxNegative),
        admin,
        detection,
        policy,
        sinkhole,
        listener,
        queryLog,
        alerts,
        acl,
        rateLimit,
        dataDir);
  }

  /**
   * 127.0.0.1:5353 and [::1]:5353; the IPv6 one only where the host has IPv6 loopback (container
   * runtimes often disable it), so the defaults always start.
   */
  private List<InetSocketAddress> defaultListen() {
    List<InetSocketAddress> listen = parseAll(DEFAULT_LISTEN);
    if (!ipv6LoopbackAvailable()) {
      notes.add("no IPv6 loopback on this host; listening on 127.0.0.1:5353 only");
      listen.removeIf(a -> a.getAddress() instanceof java.net.Inet6Address);
    }
    return listen;
  }

  private static boolean ipv6LoopbackAvailable() {
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress("::1", 0))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** DNS TTLs are whole seconds; 500ms would silently become 0. */
  private static Duration wholeSeconds(ConfigReader r, String key, Duration d) {
    if (d.toMillis() % 1000 != 0) {
      r.problem(key, "expected whole seconds (a TTL), got " + DurationText.format(d));
      return Duration.ofSeconds(d.toSeconds());
    }
    return d;
  }

  private static DetectionSettings detection(ConfigReader r) {
    DetectionSettings d = DetectionSettings.DEFAULTS;
    DetectorSettings ds = d.detector();
    ScoreSettings ss = ds.score();
    DetectionMode mode =
        r.value("detector.mode", d.mode(), "off or monitor", t -> {
          if (t.trim().equals("enforce")) {
            throw new IllegalArgumentException("blocking is set by policy.modes.flux and policy.modes.suspicious; here use monitor (detector on) or off");
          }
          return DetectionMode.valueOf(t.trim().toUpperCase(java.util.Locale.ROOT));
        });
    List<Path> asnFiles = r.list("detector.asn-database", d.asnDatabases(), "a readable IP-to-ASN file", ConfigReader::readableFile);
    AsnFormat format = r.value("detector.asn-format", d.asnFormat(), "iptoasn-tsv, ip-location-db-csv or maxmind-mmdb", t -> AsnFormat.fromKey(t.trim()));
    List<Path> orgFiles = r.list("detector.organisation-files", d.organisationFiles(), "a readable organisation file", ConfigReader::readableFile);
    Path psl = r.value("detector.public-suffix-list", d.publicSuffixList(), "a readable public_suffix_list.dat", ConfigReader::readableFile);
    long maxNames = r.integer("detector.max-names", (int) ds.maxNames(), 1, 100_000_000);
    int exact = r.integer("detector.exact-addresses", ds.exactAddresses(), 1, 4096);
    Duration window = r.duration("detector.window", ds.window(), Duration.ofMinutes(1), Duration.ofDays(30));
    long indexed = r.integer("detector.max-indexed-addresses", (int) ds.maxIndexedAddresses(), 1, 100_000_000);
    String s = "detector.score.";
    double holz = r.decimal(s + "holz-weight", ss.holzWeight(), 0, 1);
    double spread = r.decimal(s + "spread-weight", ss.spreadWeight(), 0, 1);
    double prefix = r.decimal(s + "prefix-weight", ss.prefixWeight(), 0, 1);
    double growth = r.decimal(s + "growth-weight", ss.growthWeight(), 0, 1);
    double ttl = r.decimal(s + "ttl-weight", ss.ttlWeight(), 0, 1);
    double ns = r.decimal(s + "name-server-weight", ss.nameServerWeight(), 0, 1);
    double early = r.decimal(s + "early-change-weight", ss.earlyChangeWeight(), 0, 1);
    double listed = r.decimal(s + "listed-discount", ss.listedDiscount(), 0, 1);
    double cdn = r.decimal(s + "cdn-discount", ss.cdnDiscount(), 0, 1);
    double pool = r.decimal(s + "pool-discount", ss.poolDiscount(), 0, 1);
    double suspicious = r.decimal(s + "suspicious-threshold", ss.suspiciousThreshold(), 0.01, 1);
    double flux = r.decimal(s + "flux-threshold", ss.fluxThreshold(), 0.01, 1);
    int cluster = r.integer(s + "cluster-min-shared", ss.clusterMinShared(), 1, 1000);
    double sum = holz + spread + prefix + growth + ttl + ns + early;
    if (Math.abs(sum - 1.0) > 1e-6) {
      r.problem("detector.score", String.format(java.util.Locale.ROOT, "the seven *-weight values must add up to 1, they add up to %.4f", sum));
    }
    if (suspicious > flux) {
      r.problem(r.origin(s + "suspicious-threshold") != null ? s + "suspicious-threshold" : s + "flux-threshold",
          "detector.score.suspicious-threshold (" + suspicious + ") must not exceed detector.score.flux-threshold (" + flux + ")");
    }
    ConfirmationSettings cd = d.confirmation();
    boolean confirm = r.value("detector.confirm.enabled", cd.enabled(), "true or false", ConfigLoader::bool);
    int perSecond = r.integer("detector.confirm.max-per-second", cd.maxPerSecond(), 1, 100_000);
    int concurrent = r.integer("detector.confirm.max-concurrent", cd.maxConcurrent(), 1, 10_000);
    int rounds = r.integer("detector.confirm.rounds", cd.rounds(), 1, 100);
    int pending = r.integer("detector.confirm.max-pending", cd.maxPending(), 1, 10_000_000);
    if (!r.errors().isEmpty()) {
      return d;
    }
    return new DetectionSettings(
        mode, asnFiles, format, orgFiles, psl,
        new DetectorSettings(maxNames, exact, window, indexed,
            new ScoreSettings(holz, spread, prefix, growth, ttl, ns, early, listed, cdn, pool, suspicious, flux, cluster)),
        new ConfirmationSettings(confirm, perSecond, concurrent, rounds, pending));
  }

  private static QueryLogSettings queryLog(ConfigReader r) {
    QueryLogSettings d = QueryLogSettings.DEFAULTS;
    QueryLogSettings.Mode mode = r.choice("query-log.mode", d.mode(), QueryLogSettings.Mode.values());
    int oneIn = r.integer("query-log.sample-one-in", d.sampleOneIn(), 1, 1_000_000);
    boolean hash = r.value("query-log.hash-clients", d.hashClients(), "true or false", ConfigLoader::bool);
    String sizeHint = "a size like 100MB or 1GB";
    String fileSize = r.value("query-log.max-file-size", d.maxFileSize(), sizeHint, ConfigLoader::fileSize);
    int days = r.integer("query-log.max-history", d.maxHistoryDays(), 1, 3650);
    String cap = r.value("query-log.total-size-cap", d.totalSizeCap(), sizeHint, ConfigLoader::fileSize);
    return new QueryLogSettings(mode, oneIn, hash, fileSize, days, cap);
  }

  private static AlertSettings alerts(ConfigReader r) {
    AlertSettings d = AlertSettings.DEFAULTS;
    List<java.net.URI> hooks = r.list("alerts.webhooks", d.webhooks(), "an http:// or https:// URL", t -> {
      java.net.URI u = java.net.URI.create(t.trim());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException("not an http or https URL");
      }
      return u;
    });
    InetSocketAddress syslog = r.value("alerts.syslog", d.syslog(), "an address like 192.0.2.9:514", t -> HostPort.parse(t, 514));
    int queue = r.integer("alerts.queue-size", d.queueSize(), 1, 1_000_000);
    int attempts = r.integer("alerts.max-attempts", d.maxAttempts(), 1, 100);
    Duration initial = r.duration("alerts.retry-initial", d.retryInitial(), Duration.ofMillis(10), Duration.ofMinutes(10));
    Duration max = r.duration("alerts.retry-max", d.retryMax(), Duration.ofMillis(10), Duration.ofHours(1));
    Duration timeout = r.duration("alerts.timeout", d.timeout(), Duration.ofMillis(100), Duration.ofMinutes(1));
    return new AlertSettings(hooks, syslog, queue, attempts, initial, max, timeout);
  }

  private static String fileSize(String text) {
    String t = text.trim();
    ch.qos.logback.core.util.FileSize.valueOf(t); // throws IllegalArgumentException when malformed
    return t;
  }

  private static boolean bool(String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException();
    };
  }

  private List<InetSocketAddress> systemUpstreams() {
    List<String> skipped = new ArrayList<>();
    List<InetSocketAddress> servers = ResolvConf.nameservers(resolvConf, skipped);
    if (!skipped.isEmpty()) {
      notes.add("skipped loopback name servers from " + resolvConf + ": " + skipped
          + " (set upstream.servers to use them)");
    }
    if (servers.isEmpty()) {
      notes.add("no usable name server in " + resolvConf + "; using " + ResolvConf.FALLBACK);
      return ResolvConf.FALLBACK;
    }
    notes.add("upstreams taken from " + resolvConf);
    return servers;
  }

  private static List<InetSocketAddress> parseAll(List<String> texts) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String t : texts) {
      out.add(HostPort.parse(t, DNS_PORT));
    }
    return out;
  }

  /** Parses YAML into a tree, noting the line of every key (dotted path) for error messages. */
  static JsonNode parseWithLines(String text, Map<String, Integer> lines) throws IOException {
    YAMLFactory factory = new YAMLFactory();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key given twice is an error
    try (JsonParser p = factory.createParser(text)) {
      Deque<String> path = new ArrayDeque<>();
      Deque<Boolean> inObject = new ArrayDeque<>();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT -> inObject.push(true);
          case START_ARRAY -> inObject.push(false);
          case END_OBJECT, END_ARRAY -> {
            inObject.pop();
            if (!inObject.isEmpty() && inObject.peek() && !path.isEmpty()) {
              path.removeLast();
            }
          }
          case FIELD_NAME -> {
            path.addLast(p.currentName());
            lines.put(String.join(".", path), p.currentTokenLocation().getLineNr());
          }
          default -> {
            if (!inObject.isEmpty() && inObject.peek() && !path.isEmpty()) {
              path.removeLast();
            }
          }
        }
      }
    }
    return new ObjectMapper(factory).readTree(text);
  }
}
