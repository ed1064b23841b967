package io.fluxguard.pipeline;

import java.util.Locale;

/** The transport a query arrived on. */
public enum Transport {
  UDP,
  TCP;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
