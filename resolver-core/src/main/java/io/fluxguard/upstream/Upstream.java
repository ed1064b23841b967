package io.fluxguard.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.SimpleResolver;

/**
 * One upstream resolver and its health. An upstream is down after {@code failureThreshold}
 * consecutive transport failures (timeouts, socket errors, invalid answers); any validated answer
 * brings it back up.
 */
public final class Upstream {
  private final InetSocketAddress address;
  private final String label;
  private final SimpleResolver resolver;
  private final int failureThreshold;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean up = true;

  Upstream(InetSocketAddress address, Duration exchangeTimeout, int failureThreshold) {
    this.address = address;
    this.label = format(address);
    this.failureThreshold = failureThreshold;
    this.resolver = new SimpleResolver(address);
    resolver.setTimeout(exchangeTimeout);
    resolver.setTCP(false);
    // The query carries its own OPT record; SimpleResolver adds none when one is present.
  }

  public InetSocketAddress address() {
    return address;
  }

  /** host:port, IPv6 in brackets; bounded (one per configured upstream) so usable as a tag. */
  public String label() {
    return label;
  }

  public boolean isUp() {
    return up;
  }

  SimpleResolver resolver() {
    return resolver;
  }

  /** Records a validated answer; returns true if this brought the upstream back up. */
  boolean recordSuccess() {
    consecutiveFailures.set(0);
    if (!up) {
      up = true;
      return true;
    }
    return false;
  }

  /** Records a transport failure; returns true if this took the upstream down. */
  boolean recordFailure() {
    if (consecutiveFailures.incrementAndGet() >= failureThreshold && up) {
      up = false;
      return true;
    }
    return false;
  }

  static String format(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  @Override
  public String toString() {
    return label + (up ? " (up)" : " (down)");
  }
}
