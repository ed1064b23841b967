package io.fluxguard;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fluxguard.admin.AdminApi;
import io.fluxguard.admin.AdminContext;
import io.fluxguard.admin.AdminServer;
import io.fluxguard.admin.AuditLog;
import io.fluxguard.alerts.AlertDispatcher;
import io.fluxguard.blocking.Blocking;
import io.fluxguard.blocking.DetectionRecorder;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.config.FluxguardConfig;
import io.fluxguard.detection.ActiveConfirmer;
import io.fluxguard.detection.AnswerInspector;
import io.fluxguard.detection.DetectionMode;
import io.fluxguard.detection.DetectorFactory;
import io.fluxguard.detection.FluxInspector;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.metrics.MicrometerEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.protocol.QueryDecoder;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.server.DnsServer;
import io.fluxguard.server.NettyTransport;
import io.fluxguard.upstream.UpstreamForwarder;
import io.fluxguard.upstream.UpstreamProber;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running fluxguard: every component built with {@code new}, in this one place. */
public final class Fluxguard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fluxguard.class);

  private final FluxguardConfig config;
  private final EventLoopGroup group;
  private final DnsServer server;
  private final UpstreamProber prober;
  private final ResponseCache cache;
  private final ActiveConfirmer confirmer;
  private final Blocking blocking;
  private final AdminServer admin;
  private final io.fluxguard.querylog.JsonQueryLog queryLog;
  private final AlertDispatcher alerts;
  private final java.util.concurrent.atomic.AtomicBoolean closing; // /readyz answers 503 from the start of a shutdown
  private boolean stopped;

  private Fluxguard(
      FluxguardConfig config, EventLoopGroup group, DnsServer server, UpstreamProber prober, ResponseCache cache,
      ActiveConfirmer confirmer, Blocking blocking, AdminServer admin, io.fluxguard.querylog.JsonQueryLog queryLog,
      AlertDispatcher alerts, java.util.concurrent.atomic.AtomicBoolean closing) {
    this.closing = closing;
    this.queryLog = queryLog;
    this.alerts = alerts;
    this.confirmer = confirmer;
    this.blocking = blocking;
    this.admin = admin;
    this.config = config;
    this.group = group;
    this.server = server;
    this.prober = prober;
    this.cache = cache;
  }

  /** Builds and starts everything; returns once every listen address is bound. */
  public static Fluxguard start(FluxguardConfig config, MeterRegistry registry, Ticker ticker)
      throws InterruptedException, IOException {
    NettyTransport transport = NettyTransport.best();
    EventLoopGroup group = transport.newGroup(config.server().effectiveThreads(), "fluxguard-dns");
    ActiveConfirmer confirmer = null;
    Blocking blocking = null;
    AdminServer admin = null;
    io.fluxguard.querylog.JsonQueryLog queryLog = null;
    AlertDispatcher alerts = null;
    java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      MicrometerEvents events = new MicrometerEvents(registry);
      ResponseEncoder encoder = new ResponseEncoder(config.server().ednsPayloadSize());
      ResponseCache cache = new ResponseCache(config.cache(), ticker);
      UpstreamForwarder forwarder = new UpstreamForwarder(config.upstream(), events);
      UpstreamProber prober = new UpstreamProber(forwarder, config.upstream());
      boolean detecting = config.detection().mode() != DetectionMode.OFF;
      confirmer =
          detecting && config.detection().confirmation().enabled()
              ? new ActiveConfirmer(config.detection().confirmation(), config.detection().detector().window(), events)
              : null;
      // Detections and rules are read before the server binds: earlier blocks hold for the first query.
      blocking = Blocking.open(config, encoder, events, Clock.systemUTC());
      FluxDetector detector = detecting ? DetectorFactory.create(config.detection(), ticker) : null;
      if (config.alerts().enabled()) {
        alerts = new AlertDispatcher(config.alerts(), registry, Clock.systemUTC());
        blocking.hits().onHit(alerts::sinkholeContact);
      }
      java.util.function.Consumer<io.fluxguard.policy.store.Detection> onNewDetection =
          alerts == null ? d -> {} : alerts::detection;
      AnswerInspector inspector =
          detecting
              ? new FluxInspector(detector, events, confirmer, new DetectionRecorder(detector, blocking.detections(), onNewDetection))
              : AnswerInspector.NONE;
      QueryPipeline pipeline =
          new QueryPipeline(blocking.gate(), inspector, cache, forwarder, blocking.gate(), encoder, events);
      if (confirmer != null) {
        confirmer.bind(pipeline::refresh);
      }
      pipeline.accessControl(new io.fluxguard.acl.AccessControl(config.acl()));
      pipeline.maxInflight(config.upstream().maxInflight());
      if (config.rateLimit().enabled()) {
        pipeline.rateLimiter(new io.fluxguard.acl.RateLimiter(config.rateLimit(), ticker));
      }
      if (config.queryLog().mode() != io.fluxguard.querylog.QueryLogSettings.Mode.OFF) {
        queryLog = new io.fluxguard.querylog.JsonQueryLog(config.queryLog(), config.dataDir(), Clock.systemUTC());
        pipeline.queryLog(queryLog);
      }
      DnsServer server =
          new DnsServer(config.server(), transport, group, new QueryDecoder(encoder), pipeline, events);
      server.start();
      prober.start(group.next());
      log.info("event=started {}", config.describe());
      blocking.startListener();
      io.fluxguard.metrics.StateMeters.bind(registry, cache, blocking, detector, queryLog);
      // Netty: pending tasks per DNS event loop, and the pooled allocator's memory.
      new io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics(group).bindTo(registry);
      // Netty 4.2's default allocator (adaptive) is the one in use; it reports its own memory.
      if (io.netty.buffer.ByteBufAllocator.DEFAULT instanceof io.netty.buffer.ByteBufAllocatorMetricProvider provider) {
        new io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics(provider).bindTo(registry);
      }
      AdminContext adminContext = new AdminContext(blocking, cache, detector, forwarder.upstreams(), registry,
          () -> !closing.get() && forwarder.upstreams().stream().anyMatch(io.fluxguard.upstream.Upstream::isUp), new AuditLog(config.dataDir().resolve("audit.jsonl"), Clock.systemUTC()), Clock.systemUTC(),
          java.time.Instant.now());
      admin = new AdminServer(config.admin(), new AdminApi(adminContext));
      admin.start();
      return new Fluxguard(config, group, server, prober, cache, confirmer, blocking, admin, queryLog, alerts, closing);
    } catch (InterruptedException | IOException | RuntimeException e) {
      if (confirmer != null) {
        confirmer.close();
      }
      if (admin != null) {
        admin.close();
      }
      if (queryLog != null) {
        queryLog.close();
      }
      if (alerts != null) {
        alerts.close();
      }
      if (blocking != null) {
        blocking.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Where the DNS front end listens (UDP and TCP on each). */
  public List<InetSocketAddress> dnsAddresses() {
    return server.boundAddresses();
  }

  public ResponseCache cache() {
    return cache;
  }

  /** Where the admin API listens. */
  public InetSocketAddress adminAddress() {
    return admin.boundAddress();
  }

  /** The policy, its stores and the sinkhole listener. */
  public Blocking blocking() {
    return blocking;
  }

  /** Drains in-flight queries (up to the configured grace) and releases every thread and socket. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    closing.set(true);
    admin.close();
    prober.close();
    if (confirmer != null) {
      confirmer.close();
    }
    server.drainAndStop(config.server().shutdownGrace());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    blocking.close(); // after the last query: its detections are written before the journals close
    if (queryLog != null) {
      queryLog.close(); // writes the lines still queued
    }
    if (alerts != null) {
      alerts.close(); // sends what is queued
    }
    log.info("event=stopped");
  }
}
