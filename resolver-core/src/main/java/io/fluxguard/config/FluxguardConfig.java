package io.fluxguard.config;

import io.fluxguard.admin.AdminSettings;
import io.fluxguard.cache.CacheSettings;
import io.fluxguard.detection.DetectionSettings;
import io.fluxguard.server.ServerSettings;
import io.fluxguard.upstream.UpstreamSettings;
import java.net.InetSocketAddress;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.sinkhole.SinkholeSettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.acl.AclSettings;
import io.fluxguard.acl.RateLimitSettings;
import io.fluxguard.alerts.AlertSettings;
import io.fluxguard.querylog.QueryLogSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The whole validated configuration: one settings record per component. */
public record FluxguardConfig(
    ServerSettings server,
    UpstreamSettings upstream,
    CacheSettings cache,
    AdminSettings admin,
    DetectionSettings detection,
    PolicySettings policy,
    SinkholeSettings sinkhole,
    SinkholeListenerSettings sinkholeListener,
    QueryLogSettings queryLog,
    AlertSettings alerts,
    AclSettings acl,
    RateLimitSettings rateLimit,
    Path dataDir) {

  /**
   * The effective configuration as one line of {@code key=value} pairs, for the start-up log.
   * Nothing here is secret yet; keys holding tokens or passwords are to be masked when they come.
   */
  public String describe() {
    return String.join(
        " ",
        "server.listen=" + addresses(server.listen()),
        "server.threads=" + server.effectiveThreads(),
        "server.edns-buffer-size=" + server.ednsPayloadSize(),
        "server.tcp-idle-timeout=" + DurationText.format(server.tcpIdleTimeout()),
        "server.tcp-max-connections=" + server.tcpMaxConnections(),
        "server.tcp-max-queries-per-connection=" + server.tcpMaxInflightPerConnection(),
        "server.shutdown-grace=" + DurationText.format(server.shutdownGrace()),
        "upstream.servers=" + addresses(upstream.servers()),
        "upstream.timeout=" + DurationText.format(upstream.timeout()),
        "upstream.attempt-timeout=" + DurationText.format(upstream.attemptTimeout()),
        "upstream.failure-threshold=" + upstream.failureThreshold(),
        "upstream.probe-interval=" + DurationText.format(upstream.probeInterval()),
        "cache.max-entries=" + cache.maxEntries(),
        "cache.min-ttl=" + DurationText.format(cache.minTtl()),
        "cache.max-ttl=" + DurationText.format(cache.maxTtl()),
        "cache.max-negative-ttl=" + DurationText.format(cache.maxNegativeTtl()),
        "admin.listen=" + HostPort.format(admin.listen()),
        "admin.tokens=" + admin.tokens().stream().map(t -> t.role().key() + ":" + t.fingerprint()).toList(),
        "detector.mode=" + detection.mode().key(),
        "detector.asn-database=" + detection.asnDatabases(),
        "detector.asn-format=" + detection.asnFormat().key(),
        "detector.organisation-files=" + detection.organisationFiles(),
        "detector.public-suffix-list=" + (detection.publicSuffixList() == null ? "built-in" : detection.publicSuffixList()),
        "detector.max-names=" + detection.detector().maxNames(),
        "detector.window=" + DurationText.format(detection.detector().window()),
        "detector.score=" + detection.detector().score(),
        "detector.confirm=" + detection.confirmation(),
        "policy.modes=" + policy.modes(),
        "policy.allow=" + policy.allow().size() + " names",
        "policy.deny=" + policy.deny().size() + " names",
        "policy.lists=" + policy.lists().stream().map(l -> l.name() + ":" + l.path() + "(" + l.format().key() + "," + l.mode().key() + "," + l.action().key() + ")").toList(),
        "policy.list-check-interval=" + DurationText.format(policy.listCheckInterval()),
        "policy.client-groups=" + policy.clientGroups().stream().map(g -> g.name() + ":" + g.networks() + "->" + g.sources()).toList(),
        "policy.detection-expiry=" + DurationText.format(policy.detectionExpiry()),
        "sinkhole.ipv4=" + sinkhole.ipv4().getHostAddress(),
        "sinkhole.ipv6=" + sinkhole.ipv6().getHostAddress(),
        "sinkhole.ttl=" + DurationText.format(sinkhole.ttl()),
        "sinkhole.negative-ttl=" + DurationText.format(sinkhole.negativeTtl()),
        "sinkhole.listeners=" + sinkholeListener.listeners().stream().map(e -> HostPort.format(e.address()) + "/" + e.protocol()).toList(),
        "query-log=" + queryLog,
        "acl.allow=" + acl.allow(),
        "acl.action=" + acl.action().key(),
        "rate-limit=" + (rateLimit.enabled() ? rateLimit : "off"),
        "upstream.max-inflight=" + upstream.maxInflight(),
        "alerts.webhooks=" + alerts.webhooks().size() + " (URLs not logged: they may carry secrets)",
        "alerts.syslog=" + (alerts.syslog() == null ? "none" : HostPort.format(alerts.syslog())),
        "data-dir=" + dataDir);
  }

  private static String addresses(List<InetSocketAddress> list) {
    return list.stream().map(HostPort::format).collect(Collectors.joining(","));
  }
}
