package io.fluxguard.detection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fluxguard.cache.CacheKey;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.detector.score.Verdict;
import io.fluxguard.protocol.ResponseTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Hands upstream answers to the {@link FluxDetector}: A, AAAA, CNAME, NS and ANY answers with
 * NOERROR. Every assessment is logged at DEBUG; a name whose verdict changes to or from
 * suspicious or flux is logged once at INFO with its reasons.
 */
public final class FluxInspector implements AnswerInspector {
  private static final Logger log = LoggerFactory.getLogger(FluxInspector.class);

  private final FluxDetector detector;
  private final DetectionEvents events;
  private final ActiveConfirmer confirmer;
  private final Cache<String, Verdict> reported = Caffeine.newBuilder().maximumSize(100_000).build();

  /**
   * With {@code confirmer} (may be null), suspicious names are re-asked upstream when their TTL
   * runs out; every flux verdict is also handed to {@code onFlux} (the detections store).
   */
  public FluxInspector(
      FluxDetector detector, DetectionEvents events, ActiveConfirmer confirmer, java.util.function.Consumer<FluxAssessment> onFlux) {
    this.detector = detector;
    this.events = events;
    this.confirmer = confirmer;
    this.onFlux = onFlux;
  }

  private final java.util.function.Consumer<FluxAssessment> onFlux;

  @Override
  public FluxAssessment inspect(CacheKey key, ResponseTemplate answer) {
    int type = key.type();
    if (answer.rcode() != Rcode.NOERROR
        || (type != Type.A && type != Type.AAAA && type != Type.CNAME && type != Type.NS && type != Type.ANY)) {
      return null;
    }
    long start = System.nanoTime();
    FluxAssessment a = detector.observe(answer.wire()); // its question is key's name
    if (a == null) {
      return null;
    }
    events.assessed(a.verdict(), System.nanoTime() - start);
    if (a.isFlux()) {
      onFlux.accept(a);
    }
    if (a.verdict() == Verdict.SUSPICIOUS && confirmer != null) {
      confirmer.suspicious(key, Math.max(0, answer.cacheableTtl())); // when this answer, just cached, runs out
    }
    if (log.isDebugEnabled()) {
      log.debug("event=assessment name={} owner={} verdict={} score={} reasons=\"{}\"",
          key.name(), a.name(), a.verdict().tag(), String.format(java.util.Locale.ROOT, "%.2f", a.score()), String.join("; ", a.reasons()));
    }
    // Keyed by the question: the assessment's own name may be the owner or its registered domain.
    String asked = AnswerObservation.text(key.name());
    Verdict before = reported.getIfPresent(asked);
    if (before == a.verdict() || (before == null && a.verdict() == Verdict.BENIGN)) {
      return a; // no change to report (most answers): no write either
    }
    reported.put(asked, a.verdict());
    log.info("event=verdict name={} registered-domain={} verdict={} score={} reasons=\"{}\"",
          a.name(), a.registeredDomain(), a.verdict().tag(), String.format(java.util.Locale.ROOT, "%.2f", a.score()), String.join("; ", a.reasons()));
    return a;
  }
}
