package io.fluxguard.detection;

import io.fluxguard.cache.CacheKey;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.protocol.ResponseTemplate;

/**
 * The detector's seam in the query pipeline: every upstream answer passes through it before it is
 * cached, and the assessment it returns is cached beside the answer.
 */
@FunctionalInterface
public interface AnswerInspector {
  AnswerInspector NONE = (key, answer) -> null;

  /**
   * Assesses one upstream answer to {@code key}, as it will be cached and served; null when there
   * is nothing to judge.
   */
  FluxAssessment inspect(CacheKey key, ResponseTemplate answer);
}
