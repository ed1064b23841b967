package io.fluxguard.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST port: HTTP/1.1 on its own single-thread event loop (never the DNS loops), with
 * limits on the request line (4 KiB), headers (8 KiB) and body ({@code admin.max-request-bytes});
 * idle connections are closed after 30 s.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Concurrent admin connections at most; more are closed at once. */
  static final int MAX_CONNECTIONS = 64;

  private final AdminSettings settings;
  private final AdminHttpHandler handler;
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private EventLoopGroup group;
  private Channel channel;

  public AdminServer(AdminSettings settings, AdminApi api) {
    this.settings = settings;
    this.handler = new AdminHttpHandler(settings, api);
  }

  public synchronized void start() throws IOException, InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "fluxguard-admin");
      t.setDaemon(true);
      return t;
    }, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
              connections.decrementAndGet();
              ch.close();
              return;
            }
            ch.closeFuture().addListener(f -> connections.decrementAndGet());
            ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, 30, TimeUnit.SECONDS))
                .addLast(new ChannelDuplexHandler() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof IdleStateEvent) {
                      ctx.close();
                    }
                  }
                })
                .addLast(new HttpServerCodec(4096, 8192, 8192))
                .addLast(new TokenBeforeBody(settings))
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new HttpObjectAggregator(settings.maxRequestBytes()))
                .addLast(handler);
          }
        });
    try {
      channel = b.bind(settings.listen()).sync().channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen for the admin API on " + settings.listen() + ": " + e.getMessage(), e);
    }
    log.info("event=admin-listening address={} authentication={}", boundAddress(),
        settings.authenticated() ? settings.tokens().size() + " tokens" : "off (loopback only)");
  }

  /**
   * Checks the token on a request's head, before its body is buffered: without a valid one (and
   * outside the open health endpoints) the request is answered 401 and the connection closed, so
   * nobody unauthenticated can make the server hold request bodies.
   */
  private static final class TokenBeforeBody extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final AdminSettings settings;
    private boolean refusing;

    TokenBeforeBody(AdminSettings settings) {
      this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof io.netty.handler.codec.http.HttpRequest head && settings.authenticated()) {
        String path = new io.netty.handler.codec.http.QueryStringDecoder(head.uri()).path();
        refusing = !AdminApi.isOpen(head.method().name(), path)
            && !AdminHttpHandler.knownToken(settings, head.headers().get(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION));
        if (refusing) {
          byte[] body = AdminApi.error(401, "a valid bearer token is required (Authorization: Bearer <token>)").body();
          var response = new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
              io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED, io.netty.buffer.Unpooled.wrappedBuffer(body));
          response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, AdminResponse.JSON)
              .setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, body.length)
              .set(io.netty.handler.codec.http.HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"fluxguard\"")
              .set(io.netty.handler.codec.http.HttpHeaderNames.CONNECTION, "close");
          ctx.writeAndFlush(response).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
      }
      if (refusing) {
        io.netty.util.ReferenceCountUtil.release(msg); // the body is never buffered
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }

  public synchronized InetSocketAddress boundAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
  }
}
