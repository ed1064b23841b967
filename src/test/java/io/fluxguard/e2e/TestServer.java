package io.fluxguard.e2e;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.Fluxguard;
import io.fluxguard.admin.AdminSettings;
import io.fluxguard.cache.CacheSettings;
import io.fluxguard.config.FluxguardConfig;
import io.fluxguard.detection.DetectionSettings;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.server.ServerSettings;
import io.fluxguard.sinkhole.SinkholeSettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.upstream.UpstreamSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** fluxguard started in the test process on an ephemeral loopback port, with settings to vary. */
final class TestServer implements AutoCloseable {
  final Fluxguard fluxguard;

  final PrometheusMeterRegistry registry = io.fluxguard.Main.meterRegistry(); // as the jar's, JVM meters included
  final InetSocketAddress address;
  final List<InetSocketAddress> addresses;

  /** Settings tests commonly vary; everything else takes the production default. */
  static final class Options {
    List<InetSocketAddress> upstreams;
    CacheSettings cache = CacheSettings.DEFAULTS;
    Duration timeout = Duration.ofSeconds(3);
    Duration attemptTimeout = Duration.ofSeconds(1);
    Duration probeInterval = Duration.ofMillis(200);
    int failureThreshold = 3;
    int maxInflight = io.fluxguard.upstream.UpstreamSettings.DEFAULT_MAX_INFLIGHT;
    Duration tcpIdle = Duration.ofSeconds(10);
    int tcpMaxConnections = 1024;
    int tcpMaxInflight = 100;
    Ticker ticker = Ticker.systemTicker();
    DetectionSettings detection = DetectionSettings.DEFAULTS;
    List<InetSocketAddress> listen = List.of(new InetSocketAddress("127.0.0.1", 0));
    PolicySettings policy = PolicySettings.DEFAULTS;
    SinkholeSettings sinkhole = SinkholeSettings.DEFAULTS;
    SinkholeListenerSettings sinkholeListener = SinkholeListenerSettings.DEFAULTS;
    Path dataDir; // a fresh temporary directory unless set
    AdminSettings admin = new AdminSettings(new InetSocketAddress("127.0.0.1", 0));
    io.fluxguard.querylog.QueryLogSettings queryLog = io.fluxguard.querylog.QueryLogSettings.DEFAULTS;
    io.fluxguard.alerts.AlertSettings alerts = io.fluxguard.alerts.AlertSettings.DEFAULTS;
    io.fluxguard.acl.AclSettings acl = io.fluxguard.acl.AclSettings.DEFAULTS;
    io.fluxguard.acl.RateLimitSettings rateLimit = io.fluxguard.acl.RateLimitSettings.DEFAULTS;

    Options(InetSocketAddress... upstreams) {
      this.upstreams = List.of(upstreams);
    }
  }

  TestServer(Options o) throws Exception {
    FluxguardConfig config =
        new FluxguardConfig(
            new ServerSettings(
                o.listen,
                2,
                1232,
                o.tcpIdle,
                o.tcpMaxConnections,
                o.tcpMaxInflight,
                Duration.ofSeconds(2)),
            new UpstreamSettings(
                o.upstreams, o.timeout, o.attemptTimeout, o.failureThreshold, o.probeInterval, 1232, o.maxInflight),
            o.cache,
            o.admin,
            o.detection,
            o.policy,
            o.sinkhole,
            o.sinkholeListener,
            o.queryLog,
            o.alerts,
            o.acl,
            o.rateLimit,
            o.dataDir != null ? o.dataDir : java.nio.file.Files.createTempDirectory("fluxguard-e2e"));
    fluxguard = Fluxguard.start(config, registry, o.ticker);
    addresses = fluxguard.dnsAddresses();
    address = addresses.get(0);
  }

  static CacheSettings noCache() {
    return new CacheSettings(1000, Duration.ZERO, Duration.ZERO, Duration.ofHours(1));
  }

  /** The value of counter {@code name} summed over all tag values matching {@code tags}. */
  double counter(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() throws InterruptedException {
    fluxguard.close();
  }
}
