package io.fluxguard.sinkhole.listener;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a sinkhole listener speaks, and so where it reads the name the client wanted. */
public enum SinkholeProtocol {
  /** Plain HTTP: the Host header names the site, and the client gets a short block page. */
  HTTP("http"),
  /** TLS: the ClientHello's server_name extension names the site; the handshake is refused. */
  TLS("tls");

  private final String label;

  SinkholeProtocol(String label) {
    this.label = label;
  }

  /** The lower-case name used in logs, the hits file and the admin API: {@code http} or {@code tls}. */
  @JsonValue
  public String label() {
    return label;
  }

  /** The protocol whose {@link #label()} is {@code text}, ignoring case. */
  public static SinkholeProtocol fromLabel(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (SinkholeProtocol p : values()) {
      if (p.label.equals(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException("sinkhole protocol must be http or tls, got " + text);
  }
}
