package io.fluxguard.sinkhole.listener;

import io.fluxguard.sinkhole.listener.SinkholeListenerSettings.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the sinkhole address (usually ports 80 and 443) and records every connection there
 * as a {@link SinkholeHit}: the workstations that connect after a sinkhole answer are the ones
 * probably infected.
 *
 * <ul>
 *   <li><b>HTTP</b> ports record one hit per request, with its Host, and answer <b>403
 *       Forbidden</b> with a short block page (name, reason, contact text), {@code Connection:
 *       close}. 403 rather than 200: browsers show the page either way, but automated clients
 *       (malware, updaters, scripts) are told the truth, that they got no content, instead of
 *       taking the block page for a payload or a successful check-in; and nothing caches it as the
 *       site's content. Requests are limited to a 4 KiB request line, 8 KiB of headers and a 64
 *       KiB body (a larger body is answered 413, still recorded).
 *   <li><b>TLS</b> ports read the ClientHello (up to 16 KiB, however split over reads and
 *       records), record one hit per connection with its server name, and refuse the handshake
 *       with a fatal {@code unrecognized_name} alert ({@code handshake_failure} without a name).
 *       No certificate exists, so no browser warning can be clicked through.
 * </ul>
 *
 * Connections silent for the idle timeout are closed; past the connection cap, new connections
 * are closed at once, unrecorded. One event-loop thread serves all ports: the traffic is a few
 * connections from a few infected hosts, and nothing here blocks.
 */
public final class SinkholeListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SinkholeListener.class);

  private final SinkholeListenerSettings settings;
  private final HitRecorder recorder;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final List<Channel> serverChannels = new ArrayList<>();
  private final List<Endpoint> bound = new ArrayList<>();
  private EventLoopGroup group;

  /**
   * @param settings where to listen and what the block page says
   * @param blockedQueries the recent sinkhole answers, to join each hit to its query
   * @param hits where hits are kept
   * @param clock the time stamped on each hit
   */
  public SinkholeListener(
      SinkholeListenerSettings settings, BlockedQueries blockedQueries, SinkholeHits hits, Clock clock) {
    this.settings = settings;
    this.recorder = new HitRecorder(blockedQueries, hits, clock);
  }

  /**
   * Binds every configured address. If one cannot be bound, those already bound are released.
   *
   * @throws IOException naming the address that could not be bound, and why
   */
  public synchronized void start() throws IOException {
    if (group != null) {
      throw new IllegalStateException("sinkhole listener already started");
    }
    if (!settings.enabled()) {
      return;
    }
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("fluxguard-sinkhole", true), NioIoHandler.newFactory());
    for (Endpoint endpoint : settings.listeners()) {
      ChannelFuture bind = bootstrap(endpoint.protocol()).bind(endpoint.address()).awaitUninterruptibly();
      if (!bind.isSuccess()) {
        close();
        Throwable cause = bind.cause();
        throw new IOException(
            "cannot listen for sinkhole " + endpoint.protocol().label() + " on "
                + SinkholeListenerSettings.text(endpoint.address())
                + ": " + cause.getMessage(),
            cause);
      }
      Channel channel = bind.channel();
      InetSocketAddress local = (InetSocketAddress) channel.localAddress();
      serverChannels.add(channel);
      bound.add(new Endpoint(local, endpoint.protocol()));
      log.info("event=sinkhole-listening address={} protocol={}", SinkholeListenerSettings.text(local),
          endpoint.protocol().label());
    }
  }

  private ServerBootstrap bootstrap(SinkholeProtocol protocol) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new SinkholeChannelInitializer(protocol, settings, recorder, connections, refused));
  }

  /** The bound addresses speaking {@code protocol}. */
  public synchronized List<InetSocketAddress> boundAddresses(SinkholeProtocol protocol) {
    return bound.stream().filter(e -> e.protocol() == protocol).map(Endpoint::address).toList();
  }

  /** Connections closed unrecorded because the connection cap was reached. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Closes every port and connection; connections still open are recorded as they close. */
  @Override
  public synchronized void close() {
    for (Channel channel : serverChannels) {
      channel.close().awaitUninterruptibly();
    }
    serverChannels.clear();
    bound.clear();
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      group = null;
    }
  }
}
