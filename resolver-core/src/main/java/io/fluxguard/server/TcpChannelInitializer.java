package io.fluxguard.server;

import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.protocol.QueryDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Sets up one accepted TCP connection: the connection cap, the idle timer, RFC 7766 §8 framing
 * (a 2-byte length before each message) and the query handler.
 */
final class TcpChannelInitializer extends ChannelInitializer<Channel> {
  private static final int MAX_FRAME = 65_535;

  private final ServerSettings settings;
  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight;
  private final TcpConnections open;

  TcpChannelInitializer(
      ServerSettings settings,
      QueryDecoder decoder,
      QueryPipeline pipeline,
      QueryEvents events,
      InflightQueries inflight) {
    this.settings = settings;
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.events = events;
    this.inflight = inflight;
    this.open = new TcpConnections(settings.tcpMaxConnections());
  }

  @Override
  protected void initChannel(Channel ch) {
    TcpConnections.State state = open.admit(ch);
    if (state == null) { // every connection busy
      events.tcpConnectionRefused();
      ch.close();
      return;
    }
    ch.pipeline()
        .addLast(new IdleStateHandler(0, 0, settings.tcpIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 2, 0, 2))
        .addLast(new LengthFieldPrepender(2))
        .addLast(
            new TcpQueryHandler(
                decoder, pipeline, events, inflight, settings.tcpMaxInflightPerConnection(), state));
  }
}
