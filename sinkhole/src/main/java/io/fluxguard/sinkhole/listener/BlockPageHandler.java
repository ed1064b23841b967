package io.fluxguard.sinkhole.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the sinkhole: records one hit per request, with its Host, and answers with
 * the block page, then closes the connection.
 *
 * <p>A connection that closes or goes idle without a single whole request still counts: it is
 * recorded once, without a host. A request the codec could not parse is recorded without a host
 * and answered 400 with the same page.
 */
final class BlockPageHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(BlockPageHandler.class);

  private final HitRecorder recorder;
  private final String contact;
  private boolean recordedAny;

  BlockPageHandler(HitRecorder recorder, String contact) {
    this.recorder = recorder;
    this.contact = contact;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean readable = request.decoderResult().isSuccess();
    SinkholeHit hit = record(ctx, readable ? HostHeader.hostOf(request) : null);
    HttpResponseStatus status = readable ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.BAD_REQUEST;
    ctx.writeAndFlush(blockPage(ctx, status, hit)).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Records a request whose body was larger than the aggregator accepts; the aggregator answers
   * it (413) itself.
   */
  void recordOversized(ChannelHandlerContext ctx, HttpMessage oversized) {
    record(ctx, oversized instanceof HttpRequest r ? HostHeader.hostOf(r) : null);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!recordedAny) {
      record(ctx, null); // connected, but no whole request before closing or going idle
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=sinkhole-connection-error client={} error=\"{}\"", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  private SinkholeHit record(ChannelHandlerContext ctx, String host) {
    recordedAny = true;
    return recorder.record(
        ctx.channel().remoteAddress(), ctx.channel().localAddress(), SinkholeProtocol.HTTP, host);
  }

  private FullHttpResponse blockPage(ChannelHandlerContext ctx, HttpResponseStatus status, SinkholeHit hit) {
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), BlockPage.render(hit.name(), hit.reason(), contact));
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        // The page shows text from the client; escaped, and no script may run on it anyway.
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'")
        .set("x-content-type-options", "nosniff");
    return response;
  }
}
