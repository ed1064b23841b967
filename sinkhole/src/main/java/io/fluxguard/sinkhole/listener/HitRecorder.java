package io.fluxguard.sinkhole.listener;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one connection or request on the sinkhole address into a {@link SinkholeHit}: joins it to
 * the blocked query that sent the client there, keeps it, and logs it.
 *
 * <p>Each hit is logged at INFO on its own logger, {@code io.fluxguard.sinkhole.hits}, so that
 * operators can route or silence it apart from the server log:
 *
 * <pre>{@code event=sinkhole-hit client=10.1.2.3 port=51514 protocol=tls host=evil.example
 * name=evil.example reason="fast flux, score 0.97"}</pre>
 */
final class HitRecorder {
  static final String LOGGER_NAME = "io.fluxguard.sinkhole.hits";
  private static final Logger hitLog = LoggerFactory.getLogger(LOGGER_NAME);

  /** The longest DNS name in text form (RFC 1035 §2.3.4); anything longer is cut. */
  static final int MAX_HOST_LENGTH = 253;

  private final BlockedQueries blockedQueries;
  private final SinkholeHits hits;
  private final Clock clock;

  HitRecorder(BlockedQueries blockedQueries, SinkholeHits hits, Clock clock) {
    this.blockedQueries = blockedQueries;
    this.hits = hits;
    this.clock = clock;
  }

  /**
   * Records a hit from {@code remote} on {@code local}.
   *
   * @param rawHost the host as the client sent it (HTTP Host without port, TLS SNI), or null
   */
  SinkholeHit record(
      SocketAddress remote, SocketAddress local, SinkholeProtocol protocol, String rawHost) {
    InetSocketAddress client = (InetSocketAddress) remote;
    String host = cleanHost(rawHost);
    BlockedQuery query = blockedQueries.find(client.getAddress(), host).orElse(null);
    SinkholeHit hit =
        SinkholeHit.of(clock.instant(), client.getAddress(), client.getPort(),
            ((InetSocketAddress) local).getPort(), protocol, host, query);
    hits.record(hit);
    hitLog.info("event=sinkhole-hit client={} port={} protocol={} host={} name={} reason=\"{}\"",
        hit.client().getHostAddress(), hit.clientPort(), protocol.label(), orDash(hit.host()),
        orDash(hit.queriedName()), hit.reason() == null ? "" : quotable(hit.reason()));
    return hit;
  }

  /**
   * The host as kept: trimmed, lower case, without the trailing dot, at most {@value
   * #MAX_HOST_LENGTH} characters, and with every character outside printable ASCII replaced by
   * {@code ?} (it came from the network and ends up in logs and on the admin's screen). Null if
   * nothing is left.
   */
  static String cleanHost(String raw) {
    if (raw == null) {
      return null;
    }
    String host = raw.strip();
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      return null;
    }
    if (host.length() > MAX_HOST_LENGTH) {
      host = host.substring(0, MAX_HOST_LENGTH);
    }
    StringBuilder clean = new StringBuilder(host.length());
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      clean.append(c > ' ' && c < 0x7f ? c : '?');
    }
    return clean.toString().toLowerCase(Locale.ROOT);
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  /** Text safe inside double quotes on one log line. */
  private static String quotable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c == '"' ? '\'' : Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }
}
