package io.fluxguard.sinkhole.listener;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;

/** The host an HTTP request is for, without the port (RFC 9110 §7.2, RFC 3986 §3.2.2). */
final class HostHeader {
  private HostHeader() {}

  /**
   * The host of {@code request}: from the Host header, else from an absolute request target
   * ({@code GET http://evil.example/ HTTP/1.1}, as sent to proxies); null if neither names one.
   */
  static String hostOf(HttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.HOST);
    if (header != null) {
      return withoutPort(header);
    }
    String target = request.uri();
    String lower = target.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return null;
    }
    int end = schemeEnd;
    while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
      end++;
    }
    String authority = target.substring(schemeEnd, end);
    return withoutPort(authority.substring(authority.lastIndexOf('@') + 1));
  }

  /**
   * {@code host[:port]} without the port: {@code evil.example:8080} gives {@code evil.example},
   * {@code [2001:db8::1]:443} gives {@code 2001:db8::1}. A bare IPv6 address (several colons, no
   * brackets; not valid in a Host header) is kept whole. Null if no host is left.
   */
  static String withoutPort(String hostAndPort) {
    String text = hostAndPort.strip();
    String host;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      host = close > 0 ? text.substring(1, close) : text.substring(1);
    } else {
      int colon = text.indexOf(':');
      host = colon >= 0 && colon == text.lastIndexOf(':') ? text.substring(0, colon) : text;
    }
    return host.isEmpty() ? null : host;
  }
}
