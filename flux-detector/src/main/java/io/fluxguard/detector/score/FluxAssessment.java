package io.fluxguard.detector.score;

import java.util.List;

/**
 * The detector's judgement of one name, as it travels with the answer (and into the cache).
 *
 * @param name the name whose evidence this is (the end of the CNAME chain, holding the addresses)
 * @param registeredDomain its registered domain (public suffix list)
 * @param score in [0,1]
 * @param verdict benign, suspicious or flux
 * @param features the measured signals
 * @param reasons short sentences an analyst can read, most important first
 * @param lowConfidence true when no ASN database was configured (/16s stood in for networks)
 */
public record FluxAssessment(
    String name,
    String registeredDomain,
    double score,
    Verdict verdict,
    FluxFeatures features,
    List<String> reasons,
    boolean lowConfidence) {

  public FluxAssessment {
    reasons = List.copyOf(reasons);
  }

  public boolean isFlux() {
    return verdict == Verdict.FLUX;
  }
}
