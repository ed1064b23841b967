package io.fluxguard.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Upstream resolver settings.
 *
 * @param servers upstream resolvers in order of preference
 * @param timeout the bound after which the client gets SERVFAIL if no upstream has answered
 * @param attemptTimeout how long one attempt at one upstream may take before the next is tried
 * @param failureThreshold consecutive transport failures that mark an upstream down
 * @param probeInterval how often a down upstream is probed to bring it back
 * @param ednsPayloadSize the EDNS UDP size advertised to upstreams
 * @param maxInflight distinct questions in flight upstream at once; past it, SERVFAIL at once
 */
public record UpstreamSettings(
    List<InetSocketAddress> servers,
    Duration timeout,
    Duration attemptTimeout,
    int failureThreshold,
    Duration probeInterval,
    int ednsPayloadSize,
    int maxInflight) {

  public static final int DEFAULT_MAX_INFLIGHT = 10_000;

  public UpstreamSettings(
      List<InetSocketAddress> servers, Duration timeout, Duration attemptTimeout, int failureThreshold,
      Duration probeInterval, int ednsPayloadSize) {
    this(servers, timeout, attemptTimeout, failureThreshold, probeInterval, ednsPayloadSize, DEFAULT_MAX_INFLIGHT);
  }

  public UpstreamSettings {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("at least one upstream server is needed");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("upstream timeout must be positive, got " + timeout);
    }
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failure threshold must be >= 1, got " + failureThreshold);
    }
  }
}
