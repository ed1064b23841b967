package io.fluxguard.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Front-end settings.
 *
 * @param listen addresses served over both UDP and TCP
 * @param threads event-loop threads; 0 means one per CPU core
 * @param ednsPayloadSize the EDNS UDP size advertised to clients and the cap on UDP answers
 * @param tcpIdleTimeout how long an idle TCP connection with nothing in flight stays open
 * @param tcpMaxConnections the most concurrent TCP connections; more are closed at once
 * @param tcpMaxInflightPerConnection the most queries one TCP connection may have in flight
 * @param shutdownGrace how long SIGTERM waits for in-flight queries to finish
 */
public record ServerSettings(
    List<InetSocketAddress> listen,
    int threads,
    int ednsPayloadSize,
    Duration tcpIdleTimeout,
    int tcpMaxConnections,
    int tcpMaxInflightPerConnection,
    Duration shutdownGrace) {

  public ServerSettings {
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("at least one listen address is needed");
    }
  }

  /** The number of event-loop threads to start. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }
}
