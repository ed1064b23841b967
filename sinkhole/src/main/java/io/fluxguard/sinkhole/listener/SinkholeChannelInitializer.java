package io.fluxguard.sinkhole.listener;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sets up one connection to a sinkhole port: the connection cap, the idle timer, then the HTTP or
 * TLS handler. The HTTP limits are small: a real browser request fits easily, and nothing here
 * needs more.
 */
final class SinkholeChannelInitializer extends ChannelInitializer<SocketChannel> {
  static final int MAX_REQUEST_LINE = 4 * 1024;
  static final int MAX_HEADERS = 8 * 1024;
  static final int MAX_BODY = 64 * 1024;

  private final SinkholeProtocol protocol;
  private final SinkholeListenerSettings settings;
  private final HitRecorder recorder;
  private final AtomicInteger connections;
  private final AtomicLong refused;

  SinkholeChannelInitializer(
      SinkholeProtocol protocol,
      SinkholeListenerSettings settings,
      HitRecorder recorder,
      AtomicInteger connections,
      AtomicLong refused) {
    this.protocol = protocol;
    this.settings = settings;
    this.recorder = recorder;
    this.connections = connections;
    this.refused = refused;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (connections.incrementAndGet() > settings.maxConnections()) {
      connections.decrementAndGet();
      refused.incrementAndGet();
      ch.close();
      return;
    }
    ch.closeFuture().addListener(f -> connections.decrementAndGet());
    // Read the addresses while the socket is open: Netty keeps them for when the hit is recorded
    // on close, when the socket can no longer tell. A client already gone has nothing to record.
    if (ch.remoteAddress() == null || ch.localAddress() == null) {
      ch.close();
      return;
    }
    ch.pipeline()
        .addLast(new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    if (protocol == SinkholeProtocol.HTTP) {
      BlockPageHandler blockPage = new BlockPageHandler(recorder, settings.contact());
      ch.pipeline()
          .addLast(
              new HttpServerCodec(
                  new HttpDecoderConfig()
                      .setMaxInitialLineLength(MAX_REQUEST_LINE)
                      .setMaxHeaderSize(MAX_HEADERS)
                      .setMaxChunkSize(MAX_HEADERS)))
          .addLast(new OversizeRecordingAggregator(MAX_BODY, blockPage))
          .addLast(blockPage);
    } else {
      ch.pipeline().addLast(new ClientHelloHandler(recorder));
    }
  }
}
