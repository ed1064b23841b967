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
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the queries of one TCP connection (RFC 7766). Queries are pipelined: each is answered
 * as soon as it completes, possibly out of order (§6.2.1.1). When the connection has the maximum
 * in flight, reading from the socket pauses and frames already read wait in a queue (bounded by
 * one read buffer) until a slot frees. An idle connection with nothing in flight is closed
 * (§6.2.3).
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight;
  private final int maxInflight;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // event loop only
  private int connectionInflight; // event loop only

  private record Waiting(byte[] frame, long receivedNanos) {}

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
    byte[] bytes = ByteBufUtil.getBytes(frame);
    if (connectionInflight >= maxInflight) {
      waiting.add(new Waiting(bytes, received));
      ctx.channel().config().setAutoRead(false);
      return;
    }
    process(ctx, bytes, received);
  }

  private void process(ChannelHandlerContext ctx, byte[] bytes, long received) {
    DecodeResult result = decoder.decode(bytes);
    if (result instanceof DecodeResult.Query q) {
      if (!inflight.begin()) {
        ctx.close();
        return;
      }
      connectionInflight++;
      pipeline
          .handle(q.query(), Transport.TCP, ctx.channel().eventLoop(), received)
          .whenComplete(
              (wire, error) -> {
                inflight.end();
                // Always a fresh task: a cache hit completes synchronously, and finishing inline
                // would recurse through the queue of waiting frames.
                ctx.executor().execute(() -> finished(ctx, wire));
              });
    } else if (result instanceof DecodeResult.Reject r) {
      events.rejected(Transport.TCP, r.reason());
      events.answered(Transport.TCP, 0, r.rcode(), Outcome.REJECTED, System.nanoTime() - received);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(r.answer()), ctx.voidPromise());
    } else if (result instanceof DecodeResult.Drop d) {
      events.dropped(Transport.TCP, d.reason());
    }
  }

  private void finished(ChannelHandlerContext ctx, byte[] wire) {
    if (wire != null && ctx.channel().isActive()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(wire), ctx.voidPromise());
    }
    connectionInflight--;
    while (connectionInflight < maxInflight && !waiting.isEmpty()) {
      Waiting next = waiting.poll();
      process(ctx, next.frame(), next.receivedNanos());
    }
    if (waiting.isEmpty() && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (connectionInflight == 0 && waiting.isEmpty()) {
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
