package io.fluxguard.server;

import io.fluxguard.pipeline.Outcome;
import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.QueryPipeline;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.DecodeResult;
import io.fluxguard.protocol.QueryDecoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers DNS queries arriving over UDP; shared by every UDP socket. */
@ChannelHandler.Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryDecoder decoder;
  private final QueryPipeline pipeline;
  private final QueryEvents events;
  private final InflightQueries inflight;

  UdpQueryHandler(QueryDecoder decoder, QueryPipeline pipeline, QueryEvents events, InflightQueries inflight) {
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.events = events;
    this.inflight = inflight;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    long received = System.nanoTime();
    InetSocketAddress sender = packet.sender();
    byte[] bytes = ByteBufUtil.getBytes(packet.content());
    DecodeResult result = decoder.decode(bytes);
    if (result instanceof DecodeResult.Query q) {
      if (!inflight.begin()) {
        return; // shutting down: the client will retry elsewhere
      }
      CompletableFuture<byte[]> answer =
          pipeline.handle(q.query(), sender.getAddress(), Transport.UDP, ctx.channel().eventLoop(), received);
      if (answer.isDone()) {
        // Answered synchronously (cache hit): queue it; channelReadComplete flushes the batch,
        // which epoll sends with one sendmmsg.
        byte[] wire = answer.join();
        if (wire != null) { // null: a policy dropped it
          ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(wire), sender), ctx.voidPromise());
        }
        inflight.end();
        return;
      }
      answer.whenComplete(
          (wire, error) -> {
            if (wire != null) {
              ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), sender), ctx.voidPromise());
            }
            inflight.end(); // after the write is issued, so a drain does not close the socket under it
          });
    } else if (result instanceof DecodeResult.Reject r) {
      events.rejected(Transport.UDP, r.reason());
      events.answered(Transport.UDP, 0, r.rcode(), Outcome.REJECTED, System.nanoTime() - received);
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(r.answer()), sender), ctx.voidPromise());
    } else if (result instanceof DecodeResult.Drop d) {
      events.dropped(Transport.UDP, d.reason());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket serves every client: log and keep it open.
    log.warn("event=udp-error local={} error={}", ctx.channel().localAddress(), cause.toString());
  }
}
