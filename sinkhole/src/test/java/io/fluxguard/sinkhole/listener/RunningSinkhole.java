package io.fluxguard.sinkhole.listener;

import io.fluxguard.sinkhole.listener.SinkholeListenerSettings.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A sinkhole listener on loopback ports (HTTP and TLS), with in-memory hits, for tests. */
final class RunningSinkhole implements AutoCloseable {
  static final Instant NOW = Instant.parse("2025-05-02T09:00:00Z");
  static final String CONTACT = "Call the IT desk <x1234> & quote this page";
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final FakeTicker ticker = new FakeTicker();
  final BlockedQueries blockedQueries = new BlockedQueries(1000, Duration.ofHours(1), ticker);
  final SinkholeHits hits = new SinkholeHits(1000, null);
  final SinkholeListener listener;

  RunningSinkhole(Duration idleTimeout, int maxConnections) throws IOException {
    InetSocketAddress anyPort = new InetSocketAddress(LOOPBACK, 0);
    SinkholeListenerSettings settings =
        new SinkholeListenerSettings(
            List.of(Endpoint.http(anyPort), Endpoint.tls(anyPort)), CONTACT, 1000, idleTimeout,
            maxConnections);
    listener = new SinkholeListener(settings, blockedQueries, hits, Clock.fixed(NOW, ZoneOffset.UTC));
    listener.start();
  }

  RunningSinkhole() throws IOException {
    this(Duration.ofSeconds(10), 1024);
  }

  InetSocketAddress http() {
    return listener.boundAddresses(SinkholeProtocol.HTTP).get(0);
  }

  InetSocketAddress tls() {
    return listener.boundAddresses(SinkholeProtocol.TLS).get(0);
  }

  /** Waits for the {@code n}th hit, and returns the newest. */
  SinkholeHit awaitHits(int n) throws InterruptedException {
    Eventually.await(n + " hit(s), have " + hits.size(), () -> hits.size() >= n);
    return hits.list(null, null, null, null, 1).get(0);
  }

  /** A connected socket with a read timeout, so a test fails rather than hangs. */
  static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 5000);
    socket.setSoTimeout(5000);
    return socket;
  }

  /** Everything the server sends until it closes the connection. */
  static byte[] readToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  @Override
  public void close() {
    listener.close();
    hits.close();
  }
}
