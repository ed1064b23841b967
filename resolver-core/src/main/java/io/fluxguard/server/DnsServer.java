package io.fluxguard.server;

import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.protocol.QueryDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS front end: UDP and TCP on every listen address. With epoll, each address gets one UDP
 * socket per event loop sharing the port through SO_REUSEPORT, so the kernel spreads datagrams
 * across cores.
 */
public final class DnsServer {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /**
   * The largest query datagram read whole. With epoll, one read buffer holds several datagrams of
   * up to this size, filled by one recvmmsg call; real queries are a few hundred bytes, and a
   * larger one is cut and answered FORMERR rather than silently misread.
   */
  private static final int MAX_QUERY_DATAGRAM = 4096;

  /** Read buffer per UDP read: the largest datagram, or 16 queries at once with recvmmsg. */
  private static final int UDP_RECEIVE_BUFFER = 16 * MAX_QUERY_DATAGRAM;

  private static final int EPHEMERAL_PORT_TRIES = 10;

  private final ServerSettings settings;
  private final NettyTransport transport;
  private final EventLoopGroup group;
  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight = new InflightQueries();
  private final List<Channel> udpChannels = new ArrayList<>();
  private final List<Channel> tcpChannels = new ArrayList<>();
  private final List<InetSocketAddress> boundAddresses = new ArrayList<>();

  public DnsServer(
      ServerSettings settings,
      NettyTransport transport,
      EventLoopGroup group,
      QueryDecoder decoder,
      QueryPipeline pipeline,
      QueryEvents events) {
    this.settings = settings;
    this.transport = transport;
    this.group = group;
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.events = events;
  }

  /** Binds every listen address over UDP and TCP; port 0 picks one free port for both. */
  public synchronized void start() throws InterruptedException {
    UdpQueryHandler udpHandler = new UdpQueryHandler(decoder, pipeline, events, inflight);
    int sockets = transport.supportsReusePort() ? settings.effectiveThreads() : 1;
    for (InetSocketAddress address : settings.listen()) {
      try {
        bind(address, udpHandler, sockets);
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Netty rethrows the socket error unchecked; name the address the operator configured.
        throw new IllegalStateException("cannot listen on " + address + ": " + e.getMessage(), e);
      }
    }
  }

  private void bind(InetSocketAddress address, UdpQueryHandler udpHandler, int sockets)
      throws InterruptedException {
    Bootstrap udp =
        new Bootstrap()
            .group(group)
            .channel(transport.datagramChannel())
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_BUFFER))
            .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
            .handler(udpHandler);
    if (transport.supportsReusePort()) {
      udp.option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_DATAGRAM);
    }
    // Port 0 asks for any free port: the kernel picks one for UDP, and TCP must then get the same
    // number, which another socket may hold. Try a few ports before giving up.
    int tries = address.getPort() == 0 ? EPHEMERAL_PORT_TRIES : 1;
    for (int attempt = 1; ; attempt++) {
      List<Channel> bound = new ArrayList<>();
      try {
        Channel first = udp.bind(address).sync().channel();
        bound.add(first);
        InetSocketAddress local = (InetSocketAddress) first.localAddress();
        for (int i = 1; i < sockets; i++) {
          bound.add(udp.bind(local).sync().channel());
        }
        Channel tcp = tcpBootstrap().bind(local).sync().channel();
        udpChannels.addAll(bound);
        tcpChannels.add(tcp);
        boundAddresses.add(local);
        log.info("event=listening address={} transport={} udp-sockets={}", local, transport, sockets);
        return;
      } catch (Exception e) { // Netty rethrows socket errors (checked) without declaring them
        for (Channel ch : bound) {
          ch.close().sync();
        }
        if (attempt >= tries) {
          throw e;
        }
      }
    }
  }

  private ServerBootstrap tcpBootstrap() {
    return new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Half-closed clients still get their answers (TcpQueryHandler closes when done).
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        // Past 64 KiB of unread answers a connection stops being read until the client catches up.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(
            new TcpChannelInitializer(settings, decoder, pipeline, events, inflight));
  }

  /** The addresses actually bound (with real ports when 0 was configured), UDP and TCP alike. */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return List.copyOf(boundAddresses);
  }

  /**
   * Stops accepting TCP connections, stops taking new queries, waits up to {@code grace} for
   * those in flight to be answered, then closes every socket.
   */
  public synchronized void drainAndStop(Duration grace) throws InterruptedException {
    for (Channel ch : tcpChannels) {
      ch.close().sync();
    }
    boolean clean = inflight.drain(grace);
    log.info("event=drained clean={} abandoned={}", clean, inflight.count());
    for (Channel ch : udpChannels) {
      ch.close().sync();
    }
    udpChannels.clear();
    tcpChannels.clear();
  }
}
