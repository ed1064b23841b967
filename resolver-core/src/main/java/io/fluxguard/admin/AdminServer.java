package io.fluxguard.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
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
  /** Longest request line (method, target, version) read; longer gets 414. */
  static final int MAX_REQUEST_LINE = 4096;
  /** Most bytes of request headers read; more gets 431 (RFC 6585). */
  static final int MAX_HEADER_BYTES = 8192;

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
                .addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 8192))
                .addLast(new TokenBeforeBody(settings))
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new BoundedBody(settings.maxRequestBytes()))
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
   * Looks at a request's head before its body is buffered, and answers with a JSON error (then
   * closes the connection) when it is refused: a head the decoder gave up on (a request line over
   * {@link #MAX_REQUEST_LINE}: 414; headers over {@link #MAX_HEADER_BYTES}: 431; anything else:
   * 400); no valid token, outside the open health endpoints (401), so nobody unauthenticated can
   * make the server hold request bodies; an expectation other than 100-continue (417), or a
   * 100-continue for a body over the limit (413, before any 100 is sent). Once a connection has
   * been refused, nothing more read from it is acted on.
   */
  private static final class TokenBeforeBody extends ChannelInboundHandlerAdapter {
    private final AdminSettings settings;

    TokenBeforeBody(AdminSettings settings) {
      this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!AdminHttpHandler.refused(ctx) && msg instanceof HttpRequest head) {
        AdminResponse refusal = refusal(head);
        if (refusal != null) {
          AdminHttpHandler.refuse(ctx, refusal);
        }
      }
      if (AdminHttpHandler.refused(ctx)) {
        ReferenceCountUtil.release(msg); // the body is never buffered
        return;
      }
      ctx.fireChannelRead(msg);
    }

    private AdminResponse refusal(HttpRequest head) {
      if (head.decoderResult().isFailure()) {
        return undecodable(head.decoderResult().cause());
      }
      if (settings.authenticated()
          && !AdminApi.isOpen(head.method().name(), new QueryStringDecoder(head.uri()).path())
          && !AdminHttpHandler.knownToken(settings, head.headers().get(HttpHeaderNames.AUTHORIZATION))) {
        return AdminApi.error(401, "a valid bearer token is required (Authorization: Bearer <token>)");
      }
      String expect = head.headers().get(HttpHeaderNames.EXPECT);
      if (expect != null) {
        if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
          return AdminApi.error(417, "only 'Expect: 100-continue' is understood");
        }
        if (HttpUtil.getContentLength(head, -1L) > settings.maxRequestBytes()) {
          return bodyTooLong(settings.maxRequestBytes());
        }
      }
      return null;
    }

    private static AdminResponse undecodable(Throwable cause) {
      if (cause instanceof TooLongHttpLineException) {
        return AdminApi.error(414, "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return AdminApi.error(431, "the request headers are longer than " + MAX_HEADER_BYTES + " bytes");
      }
      return AdminApi.error(400, "malformed request");
    }
  }

  private static AdminResponse bodyTooLong(int maxBytes) {
    return AdminApi.error(413, "the request body is longer than " + maxBytes + " bytes");
  }

  /** The body aggregator, answering a body over the limit with a JSON 413 and closing. */
  private static final class BoundedBody extends HttpObjectAggregator {
    BoundedBody(int maxBytes) {
      super(maxBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      AdminHttpHandler.refuse(ctx, bodyTooLong(maxContentLength()));
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
