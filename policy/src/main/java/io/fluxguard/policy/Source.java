package io.fluxguard.policy;

import java.util.Locale;

/**
 * Where a decision comes from, in the order they are consulted (RFC-free: fluxguard's own
 * precedence): operator allow rules beat operator deny rules, which beat list subscriptions, which
 * beat persisted detections, which beat the live verdict of the flux detector.
 */
public enum Source {
  ALLOW,
  DENY,
  LISTS,
  DETECTIONS,
  FLUX,
  SUSPICIOUS;

  /** The name used in configuration, logs and metrics tags. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
