package io.fluxguard.querylog;

import java.util.Locale;

/**
 * The per-query log ({@code query-log:} in the configuration).
 *
 * @param mode {@code off}, {@code sampled} (every blocked or dropped query and one in {@code
 *     sampleOneIn} of the rest) or {@code all}
 * @param sampleOneIn the sampling rate of unblocked queries in {@code sampled} mode
 * @param hashClients write a keyed hash of each client address instead of the address
 * @param maxFileSize the size at which a file is rolled (Logback size text: 100MB)
 * @param maxHistoryDays days of rolled files kept
 * @param totalSizeCap the most the rolled files may take together (1GB)
 */
public record QueryLogSettings(
    Mode mode, int sampleOneIn, boolean hashClients, String maxFileSize, int maxHistoryDays, String totalSizeCap) {

  public static final QueryLogSettings DEFAULTS = new QueryLogSettings(Mode.OFF, 100, false, "100MB", 7, "1GB");

  /** Which queries are logged. */
  public enum Mode {
    OFF,
    SAMPLED,
    ALL;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
