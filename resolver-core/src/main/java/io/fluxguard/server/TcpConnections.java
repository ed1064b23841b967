package io.fluxguard.server;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open TCP connections, with when each last did something and whether it has queries in
 * flight. At the connection cap, a new connection takes the place of the one idle the longest
 * (RFC 7766 §6.2.3: a server may close idle connections when resources are short), so a crowd of
 * idle or slow-loris connections cannot lock real clients out; only when every connection is busy
 * is the new one refused.
 */
final class TcpConnections {
  /** One connection's activity, written by its event loop, read by any. */
  static final class State {
    volatile long lastActivityNanos;
    volatile int inflight;

    State(long now) {
      this.lastActivityNanos = now;
    }

    void active(int inflight) {
      this.inflight = inflight;
      this.lastActivityNanos = System.nanoTime();
    }
  }

  private final Map<Channel, State> open = new ConcurrentHashMap<>();
  private final int max;

  TcpConnections(int max) {
    this.max = max;
  }

  /**
   * Admits {@code ch}, closing the connection idle the longest if the cap is reached; returns its
   * state, or null when every connection is busy (the caller refuses {@code ch}).
   */
  synchronized State admit(Channel ch) {
    if (open.size() >= max) {
      Channel oldest = null;
      long oldestAt = Long.MAX_VALUE;
      for (Map.Entry<Channel, State> e : open.entrySet()) {
        State s = e.getValue();
        if (s.inflight == 0 && s.lastActivityNanos < oldestAt) {
          oldest = e.getKey();
          oldestAt = s.lastActivityNanos;
        }
      }
      if (oldest == null) {
        return null;
      }
      open.remove(oldest);
      oldest.close();
    }
    State s = new State(System.nanoTime());
    open.put(ch, s);
    ch.closeFuture().addListener(f -> open.remove(ch, s));
    return s;
  }
}
