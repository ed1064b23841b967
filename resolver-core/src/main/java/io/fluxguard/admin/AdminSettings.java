package io.fluxguard.admin;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The admin REST port ({@code admin:} in the configuration).
 *
 * @param listen where the admin HTTP server listens (port 0: any free port)
 * @param tokens bearer tokens and their roles; none means no authentication, which is allowed
 *     only on a loopback address
 * @param maxRequestBytes the largest request body accepted
 */
public record AdminSettings(InetSocketAddress listen, List<AdminToken> tokens, int maxRequestBytes) {
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  public AdminSettings {
    tokens = List.copyOf(tokens);
  }

  /** Loopback, no tokens (tests and the built-in default). */
  public AdminSettings(InetSocketAddress listen) {
    this(listen, List.of(), DEFAULT_MAX_REQUEST_BYTES);
  }

  public boolean authenticated() {
    return !tokens.isEmpty();
  }
}
