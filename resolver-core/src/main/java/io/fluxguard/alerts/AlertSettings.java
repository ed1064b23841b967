package io.fluxguard.alerts;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Alerts ({@code alerts:} in the configuration): where new detections and sinkhole contacts are
 * sent.
 *
 * @param webhooks URLs that get each event as a JSON POST
 * @param syslog a syslog server (RFC 5424 over UDP), or null
 * @param queueSize events waiting at most; more are dropped and counted
 * @param maxAttempts attempts per event and webhook before it is given up
 * @param retryInitial the first wait between attempts, doubled each time up to {@code retryMax}
 * @param retryMax the longest wait between attempts
 * @param timeout how long one POST may take
 */
public record AlertSettings(
    List<URI> webhooks, InetSocketAddress syslog, int queueSize, int maxAttempts, Duration retryInitial, Duration retryMax,
    Duration timeout) {

  public static final AlertSettings DEFAULTS =
      new AlertSettings(List.of(), null, 1000, 8, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(5));

  public AlertSettings {
    webhooks = List.copyOf(webhooks);
  }

  public boolean enabled() {
    return !webhooks.isEmpty() || syslog != null;
  }
}
