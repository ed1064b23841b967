package io.fluxguard.detector.score;

/**
 * Weights and thresholds of the flux score (see docs/flux-detector.md for the formula). The
 * weights of the seven signals add up to 1, so the score before benign discounts is in [0,1].
 *
 * @param holzWeight weight of the Holz score (organisations for ASNs, addresses counted up to 8
 *     per organisation), mapped from [−40, 40] onto [0,1]
 * @param spreadWeight weight of organisation spread, (organisations − 1) / 5
 * @param prefixWeight weight of /16 diversity: normalised prefix entropy × (prefixes − 1) / 5
 * @param growthWeight weight of new addresses per answer / 2
 * @param ttlWeight weight of the TTL level: 1 at ≤ 300 s falling to 0 at 1800 s
 * @param nameServerWeight weight of NS churn and NS glue spread
 * @param earlyChangeWeight weight of answer sets rotating before their TTL ran out
 * @param listedDiscount how much a name wholly in CDN/cloud/hosting organisations is discounted
 * @param cdnDiscount factor applied when the CNAME chain goes through a known CDN
 * @param poolDiscount factor applied to known round-robin pools
 * @param suspiciousThreshold score from which the verdict is suspicious
 * @param fluxThreshold score from which the verdict is flux
 * @param clusterMinShared addresses shared with a flagged flux network that make a name flux
 */
public record ScoreSettings(
    double holzWeight,
    double spreadWeight,
    double prefixWeight,
    double growthWeight,
    double ttlWeight,
    double nameServerWeight,
    double earlyChangeWeight,
    double listedDiscount,
    double cdnDiscount,
    double poolDiscount,
    double suspiciousThreshold,
    double fluxThreshold,
    int clusterMinShared) {

  public static final ScoreSettings DEFAULTS =
      new ScoreSettings(0.25, 0.25, 0.15, 0.10, 0.10, 0.10, 0.05, 0.8, 0.2, 0.1, 0.45, 0.70, 2);

  public ScoreSettings {
    double sum = holzWeight + spreadWeight + prefixWeight + growthWeight + ttlWeight + nameServerWeight + earlyChangeWeight;
    if (Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("score weights must add up to 1, got " + sum);
    }
    if (!(suspiciousThreshold > 0 && suspiciousThreshold <= fluxThreshold && fluxThreshold <= 1)) {
      throw new IllegalArgumentException(
          "need 0 < suspicious-threshold <= flux-threshold <= 1, got " + suspiciousThreshold + " and " + fluxThreshold);
    }
  }
}
