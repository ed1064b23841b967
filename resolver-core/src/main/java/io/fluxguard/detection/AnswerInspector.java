package io.fluxguard.detection;

import io.fluxguard.cache.CacheKey;
import io.fluxguard.detector.score.FluxAssessment;
import org.xbill.DNS.Message;

/**
 * The detector's seam in the query pipeline: every upstream answer passes through it before it is
 * cached, and the assessment it returns is cached beside the answer.
 */
@FunctionalInterface
public interface AnswerInspector {
  AnswerInspector NONE = (key, answer) -> null;

  /** Assesses one upstream answer to {@code key}; null when there is nothing to judge. */
  FluxAssessment inspect(CacheKey key, Message answer);
}
