package io.fluxguard.detector;

import io.fluxguard.detector.score.ScoreSettings;
import java.time.Duration;

/**
 * Flux detector settings.
 *
 * @param maxNames the most names (and, separately, registered domains) with evidence kept
 * @param exactAddresses addresses kept exactly per name; beyond this a sketch counts them
 * @param window how long evidence is kept from a name's first answer
 * @param maxIndexedAddresses the most addresses in the flux-network index
 * @param score weights and thresholds of the score
 */
public record DetectorSettings(
    long maxNames, int exactAddresses, Duration window, long maxIndexedAddresses, ScoreSettings score) {

  public static final DetectorSettings DEFAULTS =
      new DetectorSettings(1_000_000, 64, Duration.ofHours(24), 500_000, ScoreSettings.DEFAULTS);

  public DetectorSettings {
    if (maxNames < 1 || exactAddresses < 1 || maxIndexedAddresses < 1) {
      throw new IllegalArgumentException("detector limits must be positive");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("detector window must be positive, got " + window);
    }
  }
}
