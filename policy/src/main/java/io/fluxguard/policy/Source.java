package io.fluxguard.policy;

import java.util.Locale;

/**
 * Where a decision comes from, in the order they are consulted (RFC-free: fluxguard's own
 * precedence): operator allow rules beat operator deny rules, which beat list subscriptions, which
 * beat persisted detections, which beat the live verdict of the flux detector.
 */
public enum Source {
  ALLOW("allow"),
  DENY("deny"),
  LISTS("lists"),
  DETECTIONS("detections"),
  FLUX("flux"),
  SUSPICIOUS("suspicious");

  private final String key;

  Source(String key) {
    this.key = key;
  }

  /** The name used in configuration, logs and metrics tags. */
  public String key() {
    return key;
  }

  public static Source fromKey(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Source s : values()) {
      if (s.key.equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException("one of allow, deny, lists, detections, flux, suspicious");
  }
}
