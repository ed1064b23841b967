package io.fluxguard.config;

import io.fluxguard.admin.AdminSettings;
import io.fluxguard.admin.AdminToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code admin:} section: the listen address and the bearer tokens. */
final class AdminConfig {
  private AdminConfig() {}

  static AdminSettings admin(ConfigReader r, String addressHint) {
    InetSocketAddress listen =
        r.value("admin.listen", HostPort.parse("127.0.0.1:8053", 8053), addressHint, t -> HostPort.parse(t, 8053));
    List<AdminToken> tokens = new ArrayList<>();
    tokens(r, "admin.viewer-tokens", AdminToken.Role.VIEWER, tokens);
    tokens(r, "admin.operator-tokens", AdminToken.Role.OPERATOR, tokens);
    Path tokenFile = r.value("admin.token-file", null, "a readable file of \"<role> <token>\" lines", ConfigReader::readableFile);
    if (tokenFile != null) {
      try {
        List<String> lines = Files.readAllLines(tokenFile);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
          String[] w = line.split("\\s+");
          try {
            if (w.length != 2) {
              throw new IllegalArgumentException("expected \"<role> <token>\" (role viewer or operator)");
            }
            tokens.add(new AdminToken(w[1], AdminToken.Role.fromKey(w[0])));
          } catch (IllegalArgumentException e) {
            // The line itself is never echoed: it may hold a secret.
            r.problem("admin.token-file", tokenFile + ":" + (i + 1) + ": " + e.getMessage());
          }
        }
      } catch (IOException e) {
        r.problem("admin.token-file", tokenFile + ": cannot read: " + e.getMessage());
      }
    }
    int maxBytes = r.integer("admin.max-request-bytes", AdminSettings.DEFAULT_MAX_REQUEST_BYTES, 1024, 16 * 1024 * 1024);
    if (tokens.isEmpty() && listen.getAddress() != null && !listen.getAddress().isLoopbackAddress()) {
      r.problem("admin.listen", "admin.listen " + HostPort.format(listen) + " is not a loopback address: an admin port"
          + " reachable from the network needs tokens (admin.operator-tokens, admin.viewer-tokens or admin.token-file)");
    }
    return new AdminSettings(listen, tokens, maxBytes);
  }

  /** Reads tokens without ever echoing one in an error message. */
  private static void tokens(ConfigReader r, String key, AdminToken.Role role, List<AdminToken> out) {
    List<String> texts = r.list(key, List.of(), "tokens", t -> t);
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(new AdminToken(texts.get(i).trim(), role));
      } catch (IllegalArgumentException e) {
        r.problem(key, key + " (token " + (i + 1) + "): " + e.getMessage());
      }
    }
  }
}
