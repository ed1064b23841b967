package io.fluxguard.sinkhole.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the sinkhole: reads the client's ClientHello, records one hit with its server
 * name, and refuses the handshake with a fatal alert. No certificate is involved.
 *
 * <p>Exactly one hit per connection: with the server name once the ClientHello is whole, or with
 * none when the bytes are not a readable ClientHello, or when the connection closes or goes idle
 * before one arrived. Nothing the client sends makes this handler throw.
 */
final class ClientHelloHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHelloHandler.class);

  /** RFC 8446 §6: alert record, level fatal(2), then the description. */
  private static final int ALERT_HANDSHAKE_FAILURE = 40;
  private static final int ALERT_UNRECOGNIZED_NAME = 112;

  private final HitRecorder recorder;
  private final ClientHelloAssembler assembler = new ClientHelloAssembler();
  private boolean recorded;

  ClientHelloHandler(HitRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (recorded || !(msg instanceof ByteBuf in)) {
        return; // the verdict is in and the connection is closing; the rest is not read
      }
      Optional<ClientHello> hello = assembler.offer(in);
      if (hello.isPresent()) {
        String serverName = hello.get().serverName();
        record(ctx, serverName);
        // RFC 6066 §3: a server that does not recognise the name may abort with unrecognized_name.
        refuse(ctx, serverName != null ? ALERT_UNRECOGNIZED_NAME : ALERT_HANDSHAKE_FAILURE);
      }
    } catch (MalformedClientHelloException e) {
      log.debug("event=sinkhole-tls-unreadable client={} error=\"{}\"", ctx.channel().remoteAddress(),
          e.getMessage());
      record(ctx, null);
      ctx.close();
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close(); // channelInactive records the hit
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!recorded) {
      record(ctx, null); // closed or timed out before a whole ClientHello
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Socket errors such as a reset by the client; the hit is recorded when the channel closes.
    log.debug("event=sinkhole-connection-error client={} error=\"{}\"", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  private void record(ChannelHandlerContext ctx, String serverName) {
    recorded = true;
    recorder.record(ctx.channel().remoteAddress(), ctx.channel().localAddress(), SinkholeProtocol.TLS,
        serverName);
  }

  private static void refuse(ChannelHandlerContext ctx, int description) {
    ByteBuf alert = ctx.alloc().buffer(7);
    alert.writeByte(21).writeShort(0x0303).writeShort(2); // alert record, TLS 1.2 record version
    alert.writeByte(2).writeByte(description); // fatal
    ctx.writeAndFlush(alert).addListener(ChannelFutureListener.CLOSE);
  }
}
