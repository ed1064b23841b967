package io.fluxguard.detector.score;

import java.util.List;
import java.util.Objects;

/**
 * The detector's judgement of one name, as it travels with the answer (and into the cache): the
 * score in [0,1], the verdict, the measured features, and reasons as short sentences an analyst
 * can read. The reasons are written only when first asked for (most assessments are never read).
 */
public final class FluxAssessment {
  private final String name;
  private final String registeredDomain;
  private final double score;
  private final Verdict verdict;
  private final FluxFeatures features;
  private final boolean lowConfidence;
  // What the reasons are written from, until they are.
  private FluxScorer scorer;
  private FluxScorer.Context context;
  private final boolean clustered;
  private final boolean capped;
  private volatile List<String> reasons;

  FluxAssessment(
      String name,
      String registeredDomain,
      double score,
      Verdict verdict,
      FluxFeatures features,
      boolean lowConfidence,
      FluxScorer scorer,
      FluxScorer.Context context,
      boolean clustered,
      boolean capped) {
    this.name = name;
    this.registeredDomain = registeredDomain;
    this.score = score;
    this.verdict = verdict;
    this.features = features;
    this.lowConfidence = lowConfidence;
    this.scorer = scorer;
    this.context = context;
    this.clustered = clustered;
    this.capped = capped;
  }

  /** The name whose evidence this is (the end of the CNAME chain, holding the addresses). */
  public String name() {
    return name;
  }

  /** Its registered domain (public suffix list). */
  public String registeredDomain() {
    return registeredDomain;
  }

  public double score() {
    return score;
  }

  public Verdict verdict() {
    return verdict;
  }

  public FluxFeatures features() {
    return features;
  }

  /** True when no ASN database was configured (/16s stood in for networks). */
  public boolean lowConfidence() {
    return lowConfidence;
  }

  public boolean isFlux() {
    return verdict == Verdict.FLUX;
  }

  /** Short sentences an analyst can read, most important first. */
  public List<String> reasons() {
    List<String> r = reasons;
    if (r == null) {
      synchronized (this) {
        if (reasons == null) {
          reasons = List.copyOf(scorer.reasons(this, context, clustered, capped));
          scorer = null;
          context = null;
        }
        r = reasons;
      }
    }
    return r;
  }

  @Override
  public String toString() {
    return "FluxAssessment[" + name + " " + verdict.tag() + " " + String.format(java.util.Locale.ROOT, "%.2f", score) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FluxAssessment a && a.name.equals(name) && a.score == score && a.verdict == verdict && Objects.equals(a.features, features);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, score, verdict);
  }
}
