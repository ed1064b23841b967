package io.fluxguard.policy;

import java.util.Locale;

/**
 * What a source does when it matches: {@code ENFORCE} acts (blocks, or for allow rules exempts),
 * {@code MONITOR} answers normally and logs and counts what it would have done, {@code OFF}
 * ignores the source.
 */
public enum Mode {
  ENFORCE,
  MONITOR,
  OFF;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
