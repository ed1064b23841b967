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
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the queries of one TCP connection (RFC 7766). Queries are pipelined: each is answered
 * as soon as it completes, possibly out of order (§6.2.1.1).
 *
 * <p>Backpressure, so one connection cannot hold unbounded memory: with the maximum in flight, or
 * while the client is not reading its answers (the channel is unwritable), socket reads pause and
 * frames already read wait in a queue bounded by one read buffer. A connection idle with nothing
 * in flight, or whose client stopped reading, is closed at the idle timeout (§6.2.3). A client
 * that half-closes still gets the answers to the queries it sent. While the server drains for
 * shutdown, new frames are ignored and the connection closes once its queries are answered.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight;
  private final int maxInflight;
  // All touched only on this channel's event loop.
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private int connectionInflight;
  private final TcpConnections.State activity; // for the connection cap: idle the longest goes first
  private boolean inputClosed;
  private boolean closing;

  private record Waiting(byte[] frame, long receivedNanos) {}

  TcpQueryHandler(
      QueryDecoder decoder,
      QueryPipeline pipeline,
      QueryEvents events,
      InflightQueries inflight,
      int maxInflight,
      TcpConnections.State activity) {
    this.activity = activity;
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.events = events;
    this.inflight = inflight;
    this.maxInflight = maxInflight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    long received = System.nanoTime();
    if (inflight.draining()) {
      ctx.channel().config().setAutoRead(false);
      settle(ctx);
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame);
    if (connectionInflight >= maxInflight || !ctx.channel().isWritable() || !waiting.isEmpty()) {
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
        settle(ctx); // draining began
        return;
      }
      connectionInflight++;
      activity.active(connectionInflight);
      pipeline
          .handle(q.query(), remoteAddress(ctx), Transport.TCP, ctx.channel().eventLoop(), received)
          // Always a fresh task: a cache hit completes synchronously, and finishing inline would
          // recurse through the queue of waiting frames.
          .whenComplete((wire, error) -> ctx.executor().execute(() -> finished(ctx, wire)));
    } else if (result instanceof DecodeResult.Reject r) {
      events.rejected(Transport.TCP, r.reason());
      events.answered(Transport.TCP, 0, r.rcode(), Outcome.REJECTED, System.nanoTime() - received);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(r.answer()), ctx.voidPromise());
    } else if (result instanceof DecodeResult.Drop d) {
      events.dropped(Transport.TCP, d.reason());
    }
  }

  private static java.net.InetAddress remoteAddress(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
  }

  private void finished(ChannelHandlerContext ctx, byte[] wire) {
    if (wire != null && ctx.channel().isActive()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(wire), ctx.voidPromise());
    }
    connectionInflight--;
    activity.active(connectionInflight);
    inflight.end(); // after the write is issued, so a drain does not close the socket under it
    settle(ctx);
  }

  /** Starts waiting queries when there is room, resumes reading, or closes when done. */
  private void settle(ChannelHandlerContext ctx) {
    boolean draining = inflight.draining();
    if (draining) {
      waiting.clear();
    }
    while (!waiting.isEmpty() && connectionInflight < maxInflight && ctx.channel().isWritable()) {
      Waiting next = waiting.poll();
      process(ctx, next.frame(), next.receivedNanos());
    }
    if ((draining || inputClosed) && connectionInflight == 0 && waiting.isEmpty()) {
      closeAfterWrites(ctx);
      return;
    }
    boolean room = waiting.isEmpty() && connectionInflight < maxInflight && ctx.channel().isWritable();
    if (room && !draining && !inputClosed && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void closeAfterWrites(ChannelHandlerContext ctx) {
    if (!closing) {
      closing = true;
      // Written from the first handler so the length prepender does not frame it; it completes
      // after every answer before it, and then the connection closes.
      ctx.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      settle(ctx);
    } else {
      ctx.channel().config().setAutoRead(false);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (!ctx.channel().isWritable() || (connectionInflight == 0 && waiting.isEmpty())) {
        ctx.close(); // idle, or a client that stopped reading its answers
      }
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      inputClosed = true; // half-close: answer what was asked, then close
      settle(ctx);
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.clear(); // the client is gone: do not forward what it queued
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=tcp-error remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
