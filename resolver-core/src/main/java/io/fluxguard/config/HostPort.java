package io.fluxguard.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses {@code host:port}, {@code [v6]:port}, or a bare host taking a default port. */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String text, int defaultPort) {
    String s = text.trim();
    String host;
    int port = defaultPort;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in IPv6 address");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':port' after ']'");
        }
        port = port(rest.substring(1));
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // a bare IPv6 address without port
    } else if (s.indexOf(':') >= 0) {
      host = s.substring(0, s.indexOf(':'));
      port = port(s.substring(s.indexOf(':') + 1));
    } else {
      host = s;
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (host.matches("[0-9.]+") && !com.google.common.net.InetAddresses.isInetAddress(host)) {
      // InetAddress would read "192.168.1" as 192.168.0.1; an operator meant something else.
      throw new IllegalArgumentException("'" + host + "' is not a dotted-quad IPv4 address");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host '" + host + "'");
    }
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is outside 0..65535");
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + text + "' is not a number");
    }
  }

  static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
