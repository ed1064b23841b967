package io.fluxguard.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates each admin request, hands it to the {@link AdminApi}, and writes the answer —
 * on the channel's event loop once the API's future completes, so a request that waits for a
 * journal's fsync never blocks the loop. Errors are JSON {@code {"error": ..., "status": ...}}
 * with no internal detail; unexpected faults are logged here and answered 500.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  /**
   * HTTP/1.1 pipelining: answers go out in the order the requests came, though a later one (a
   * GET) may be ready before an earlier one (a POST waiting for its fsync). Event-loop only.
   */
  static final class ResponseOrder {
    private static final io.netty.util.AttributeKey<ResponseOrder> KEY = io.netty.util.AttributeKey.valueOf("fluxguard-admin-order");
    private long issued;
    private long written;
    private final java.util.TreeMap<Long, Runnable> ready = new java.util.TreeMap<>();

    static ResponseOrder of(ChannelHandlerContext ctx) {
      ResponseOrder o = ctx.channel().attr(KEY).get();
      if (o == null) {
        o = new ResponseOrder();
        ctx.channel().attr(KEY).set(o);
      }
      return o;
    }

    long next() {
      return issued++;
    }

    void complete(long seq, Runnable write) {
      ready.put(seq, write);
      while (!ready.isEmpty() && ready.firstKey() == written) {
        try {
          ready.pollFirstEntry().getValue().run();
        } finally {
          written++;
        }
      }
    }
  }

  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

  private final AdminSettings settings;
  private final AdminApi api;

  AdminHttpHandler(AdminSettings settings, AdminApi api) {
    this.settings = settings;
    this.api = api;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (refused(ctx)) {
      return; // a request the decoder still held when the connection was refused
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      refuse(ctx, AdminApi.error(400, "malformed request"));
      return;
    }
    CompletableFuture<AdminResponse> answer;
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      AdminToken token = null;
      if (settings.authenticated()) {
        token = authenticate(settings, request.headers().get(HttpHeaderNames.AUTHORIZATION));
      } else {
        refuseBrowsers(request);
      }
      if (request.content().isReadable() && !isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
        // A body must be declared JSON: a browser cannot send that cross-site without a CORS
        // preflight, which this API never grants.
        throw new ApiException(415, "a request body must be Content-Type: application/json");
      }
      AdminRequest r = new AdminRequest(
          request.method().name(), uri.path(), uri.parameters(), request.content().toString(StandardCharsets.UTF_8),
          token == null ? AdminToken.Role.OPERATOR : token.role(),
          token == null ? "unauthenticated" : "token:" + token.fingerprint());
      boolean open = AdminApi.isOpen(r.method(), r.path());
      if (settings.authenticated() && token == null && !open) {
        throw new ApiException(401, "a bearer token is required (Authorization: Bearer <token>)");
      }
      answer = api.handle(r);
    } catch (ApiException e) {
      answer = CompletableFuture.completedFuture(AdminApi.error(e.status(), e.getMessage()));
    } catch (RuntimeException e) {
      log.error("event=admin-error uri={}", request.uri(), e);
      answer = CompletableFuture.completedFuture(AdminApi.error(500, "internal error"));
    }
    String uri = request.uri();
    ResponseOrder order = ResponseOrder.of(ctx);
    long seq = order.next();
    answer.whenComplete((response, error) -> {
      AdminResponse out = response;
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException e) {
          out = AdminApi.error(e.status(), e.getMessage());
        } else {
          log.error("event=admin-error uri={}", uri, cause);
          out = AdminApi.error(500, "internal error");
        }
      }
      AdminResponse fin = out;
      ctx.executor().execute(() -> order.complete(seq, () -> write(ctx, fin, keepAlive)));
    });
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
  }

  /**
   * Without tokens (allowed on loopback only) the API must not be driven by a web page the
   * operator happens to open: requests from a browser context (an Origin or a cross-site fetch)
   * are refused, and so are Host names other than loopback ones (DNS rebinding).
   */
  private static void refuseBrowsers(FullHttpRequest request) {
    var h = request.headers();
    String site = h.get("Sec-Fetch-Site");
    if (h.contains(HttpHeaderNames.ORIGIN) || (site != null && !site.equals("none"))) {
      throw new ApiException(403, "requests from web pages are refused (configure admin tokens to use the API from a browser tool)");
    }
    String host = h.get(HttpHeaderNames.HOST);
    if (host != null && !isLoopbackHost(host)) {
      throw new ApiException(403, "without admin tokens only loopback Host names are answered");
    }
  }

  static boolean isLoopbackHost(String hostHeader) {
    String host = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end < 0 ? host : host.substring(1, end);
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      host = host.substring(0, host.indexOf(':')); // strip the port of a name or IPv4 literal
    }
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return com.google.common.net.InetAddresses.forString(host).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code header} carries a configured token (for the check before the body is read). */
  static boolean knownToken(AdminSettings settings, String header) {
    try {
      return authenticate(settings, header) != null;
    } catch (ApiException e) {
      return false;
    }
  }

  /** The token presented, or an {@link ApiException} (401). */
  static AdminToken authenticate(AdminSettings settings, String header) {
    if (header == null) {
      return null;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(401, "expected Authorization: Bearer <token>");
    }
    byte[] presented = AdminToken.sha256(header.substring(7).trim());
    AdminToken found = null;
    for (AdminToken t : settings.tokens()) { // every token compared, in constant time each
      if (t.matches(presented) && found == null) {
        found = t;
      }
    }
    if (found == null) {
      throw new ApiException(401, "unknown token");
    }
    return found;
  }

  private static void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff");
    if (r.status() == 401) {
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"fluxguard\"");
    }
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static final io.netty.util.AttributeKey<Boolean> REFUSED = io.netty.util.AttributeKey.valueOf("fluxguard-admin-refused");

  /** True once {@link #refuse} ran on this connection: whatever it still delivers is dropped. */
  static boolean refused(ChannelHandlerContext ctx) {
    return Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get());
  }

  /**
   * Answers {@code error} in its turn among pipelined requests (after the answers to those read
   * before it), then closes the connection; nothing more is read from it.
   */
  static void refuse(ChannelHandlerContext ctx, AdminResponse error) {
    ctx.channel().attr(REFUSED).set(Boolean.TRUE);
    ctx.channel().config().setAutoRead(false);
    ResponseOrder order = ResponseOrder.of(ctx);
    long seq = order.next();
    order.complete(seq, () -> write(ctx, error, false));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("event=admin-connection-error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
