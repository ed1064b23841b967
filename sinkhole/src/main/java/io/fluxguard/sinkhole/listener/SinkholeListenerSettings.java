package io.fluxguard.sinkhole.listener;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the sinkhole listener: where it listens and what its block page says.
 *
 * @param listeners the addresses to listen on, each speaking HTTP or TLS (usually the sinkhole
 *     address on ports 80 and 443); empty turns the listener off
 * @param contact the text the block page shows under the reason, e.g. who to call (plain text,
 *     HTML-escaped when shown)
 * @param maxHits the most recent hits kept in memory and reloaded from the hits file at start
 * @param idleTimeout how long a connection may stay silent before it is closed
 * @param maxConnections the most concurrent connections over all listeners; more are closed at once
 */
public record SinkholeListenerSettings(
    List<Endpoint> listeners, String contact, int maxHits, Duration idleTimeout, int maxConnections) {

  public static final String DEFAULT_CONTACT =
      "If you need this site for your work, contact your IT service desk.";
  public static final int DEFAULT_MAX_HITS = 10_000;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  static final int MAX_CONTACT_LENGTH = 2000;

  /** No listeners: the sinkhole answers DNS but nothing listens on the sinkhole address. */
  public static final SinkholeListenerSettings DEFAULTS =
      new SinkholeListenerSettings(
          List.of(), DEFAULT_CONTACT, DEFAULT_MAX_HITS, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);

  /**
   * One listening socket.
   *
   * @param address the address and port to bind; port 0 picks a free port
   * @param protocol what the port speaks
   */
  public record Endpoint(InetSocketAddress address, SinkholeProtocol protocol) {
    public Endpoint {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(protocol, "protocol");
    }

    public static Endpoint http(InetSocketAddress address) {
      return new Endpoint(address, SinkholeProtocol.HTTP);
    }

    public static Endpoint tls(InetSocketAddress address) {
      return new Endpoint(address, SinkholeProtocol.TLS);
    }
  }

  /** Checks every value and reports all problems together, each naming its key. */
  public SinkholeListenerSettings {
    List<String> problems = new ArrayList<>();
    if (listeners == null || listeners.stream().anyMatch(Objects::isNull)) {
      problems.add("sinkhole.listeners: expected a list of addresses, each with http or tls");
    } else {
      listeners = List.copyOf(listeners);
      Set<InetSocketAddress> seen = new HashSet<>();
      for (Endpoint e : listeners) {
        if (e.address().getPort() != 0 && !seen.add(e.address())) {
          problems.add("sinkhole.listeners: " + text(e.address()) + " is listed twice");
        }
      }
    }
    if (contact == null || contact.length() > MAX_CONTACT_LENGTH) {
      problems.add("sinkhole.contact: expected a text of at most " + MAX_CONTACT_LENGTH
          + " characters, got " + (contact == null ? "none" : contact.length() + " characters"));
    }
    if (maxHits < 1 || maxHits > 10_000_000) {
      problems.add("sinkhole.max-hits: expected 1 to 10000000, got " + maxHits);
    }
    if (idleTimeout == null || idleTimeout.compareTo(Duration.ofMillis(10)) < 0
        || idleTimeout.compareTo(Duration.ofHours(1)) > 0) {
      problems.add("sinkhole.idle-timeout: expected 10ms to 1h, got " + idleTimeout);
    }
    if (maxConnections < 1 || maxConnections > 1_000_000) {
      problems.add("sinkhole.max-connections: expected 1 to 1000000, got " + maxConnections);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Whether anything listens at all. */
  public boolean enabled() {
    return !listeners.isEmpty();
  }

  /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:443}: an address as an operator writes it. */
  static String text(InetSocketAddress address) {
    String host =
        address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** These settings with other listeners. */
  public SinkholeListenerSettings withListeners(List<Endpoint> newListeners) {
    return new SinkholeListenerSettings(newListeners, contact, maxHits, idleTimeout, maxConnections);
  }
}
