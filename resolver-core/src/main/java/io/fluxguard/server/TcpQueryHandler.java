package io.fluxguard.server;

import io.fluxguard.pipeline.Outcome;
import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.DecodeResult;
import io.fluxguard.protocol.QueryDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the queries of one TCP connection (RFC 7766). Queries are pipelined: each is answered
 * as soon as it completes, possibly out of order (§6.2.1.1). When the connection has the maximum
 * in flight, reading pauses until one finishes. An idle connection with nothing in flight is
 * closed (§6.2.3).
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight;
  private final int maxInflight;
  private int connectionInflight; // touched only on this channel's event loop

  TcpQueryHandler(
      QueryDecoder decoder,
      QueryPipeline pipeline,
      QueryEvents events,
      InflightQueries inflight,
      int maxInflight) {
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.events = events;
    this.inflight = inflight;
    this.maxInflight = maxInflight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    long received = System.nanoTime();
    DecodeResult result = decoder.decode(ByteBufUtil.getBytes(frame));
    if (result instanceof DecodeResult.Query q) {
      if (!inflight.begin()) {
        ctx.close();
        return;
      }
      if (++connectionInflight >= maxInflight) {
        ctx.channel().config().setAutoRead(false);
      }
      pipeline
          .handle(q.query(), Transport.TCP, ctx.channel().eventLoop(), received)
          .whenComplete(
              (wire, error) -> {
                inflight.end();
                if (ctx.executor().inEventLoop()) {
                  finished(ctx, wire);
                } else {
                  ctx.executor().execute(() -> finished(ctx, wire));
                }
              });
    } else if (result instanceof DecodeResult.Reject r) {
      events.rejected(Transport.TCP, r.reason());
      events.answered(Transport.TCP, 0, r.answer()[3] & 0x0F, Outcome.REJECTED, System.nanoTime() - received);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(r.answer()), ctx.voidPromise());
    } else if (result instanceof DecodeResult.Drop d) {
      events.dropped(Transport.TCP, d.reason());
    }
  }

  private void finished(ChannelHandlerContext ctx, byte[] wire) {
    if (wire != null && ctx.channel().isActive()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(wire), ctx.voidPromise());
    }
    if (connectionInflight-- == maxInflight) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (connectionInflight == 0) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=tcp-error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
