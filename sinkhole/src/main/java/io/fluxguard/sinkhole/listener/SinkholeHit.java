package io.fluxguard.sinkhole.listener;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One connection (TLS) or request (HTTP) a client made to the sinkhole address, joined to the
 * DNS query that most likely sent it there. A workstation with many hits is probably infected.
 *
 * @param time when the hit was recorded
 * @param client the workstation's address
 * @param clientPort the workstation's source port
 * @param localPort the sinkhole port it connected to
 * @param protocol what that port speaks
 * @param host the HTTP Host (without port) or TLS SNI, lower case; null if the client sent none
 *     or its bytes could not be read
 * @param queriedName the blocked name the client asked the resolver for; null if none is known
 * @param queryTime when the resolver answered that query with the sinkhole; null if none
 * @param reason why that name was blocked; null if none
 */
public record SinkholeHit(
    Instant time,
    InetAddress client,
    int clientPort,
    int localPort,
    SinkholeProtocol protocol,
    String host,
    String queriedName,
    Instant queryTime,
    String reason) {

  public SinkholeHit {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** A hit joined to {@code query}, or to nothing when {@code query} is null. */
  public static SinkholeHit of(
      Instant time,
      InetAddress client,
      int clientPort,
      int localPort,
      SinkholeProtocol protocol,
      String host,
      BlockedQuery query) {
    return new SinkholeHit(
        time, client, clientPort, localPort, protocol, host,
        query == null ? null : query.name(),
        query == null ? null : query.when(),
        query == null ? null : query.reason());
  }

  /** The name the client wanted: the host it sent, else the name whose query sent it here. */
  public String name() {
    return host != null ? host : queriedName;
  }

  /** Whether {@code name} is the host or the queried name, ignoring case. */
  public boolean mentions(String name) {
    return name.equalsIgnoreCase(host) || name.equalsIgnoreCase(queriedName);
  }
}
