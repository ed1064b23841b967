package io.fluxguard.detection;

import io.fluxguard.detector.score.Verdict;

/** What the detection step reports; implemented by the metrics layer. */
public interface DetectionEvents {
  DetectionEvents NONE = new DetectionEvents() {};

  /** One upstream answer was assessed. */
  default void assessed(Verdict verdict, long nanos) {}

  /** Active confirmation: scheduled, sent, deferred (rate or concurrency limit), dropped-full. */
  default void confirmation(String outcome) {}
}
