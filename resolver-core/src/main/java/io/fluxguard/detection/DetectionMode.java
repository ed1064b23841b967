package io.fluxguard.detection;

import java.util.Locale;

/** What the flux detector does with answers. */
public enum DetectionMode {
  /** Not run. */
  OFF,
  /** Every upstream answer is assessed; verdicts are logged, counted and cached, never acted on. */
  MONITOR;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
