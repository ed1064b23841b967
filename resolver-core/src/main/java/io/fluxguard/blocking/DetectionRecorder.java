package io.fluxguard.blocking;

import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.policy.store.DetectionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every flux verdict into a detection in the {@link DetectionStore}: the name, its score and
 * reasons, and the evidence addresses with their ASNs. Addresses held by a listed CDN, cloud or
 * hosting organisation are left out of the detection's address pool, so a flux zone that lists a
 * victim's CDN address cannot get that address blocked for every other name. Logs
 * {@code event=detection-saved} once the record is on disk (the acknowledgement).
 */
public final class DetectionRecorder implements Consumer<FluxAssessment> {
  private static final Logger log = LoggerFactory.getLogger(DetectionRecorder.class);
  private static final int MAX_ADDRESSES = 64;

  private final FluxDetector detector;
  private final DetectionStore store;
  private final java.util.function.Consumer<io.fluxguard.policy.store.Detection> onNew;

  /** {@code onNew} gets each new detection once it is on disk (the alerts). */
  public DetectionRecorder(
      FluxDetector detector, DetectionStore store, java.util.function.Consumer<io.fluxguard.policy.store.Detection> onNew) {
    this.detector = detector;
    this.store = store;
    this.onNew = onNew;
  }

  @Override
  public void accept(FluxAssessment a) {
    List<String> addresses = new ArrayList<>();
    List<Integer> asns = new ArrayList<>();
    for (FluxDetector.EvidenceAddress e : detector.evidenceAddresses(a.name(), MAX_ADDRESSES)) {
      if (!e.listed()) {
        addresses.add(e.address());
      }
      if (e.asn() != 0 && !asns.contains(e.asn())) {
        asns.add(e.asn());
      }
    }
    boolean known = store.get(a.name()) != null;
    String score = String.format(Locale.ROOT, "%.2f", a.score());
    store.confirm(a.name(), a.registeredDomain(), a.score(), a.reasons(), addresses, asns)
        .whenComplete((written, error) -> {
          if (error != null) {
            log.error("event=detection-not-saved name={} reason=\"{}\"", a.name(), error.getMessage());
          } else if (written) {
            log.info("event=detection-saved name={} registered-domain={} score={} new={} addresses={}",
                a.name(), a.registeredDomain(), score, !known, addresses.size());
            io.fluxguard.policy.store.Detection saved = store.get(a.name());
            if (!known && saved != null) {
              onNew.accept(saved);
            }
          }
        });
  }
}
