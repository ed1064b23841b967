package io.fluxguard.detector.score;

import java.util.Locale;

/** The detector's conclusion about a name. */
public enum Verdict {
  BENIGN,
  SUSPICIOUS,
  FLUX;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
