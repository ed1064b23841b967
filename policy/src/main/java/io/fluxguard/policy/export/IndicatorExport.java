package io.fluxguard.policy.export;

import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Instant;
import java.util.List;

/**
 * Turns fluxguard's detections and the operator's deny rules into indicators another
 * organisation can load: an RPZ zone ({@link RpzExport}), a STIX 2.1 bundle ({@link StixExport})
 * or a CSV table for analysts ({@link CsvExport}).
 *
 * <p>Every writer is pure: it reads only its arguments, does no I/O, and returns the same text for
 * the same arguments. Each lists the detections not yet expired at {@code now} and the rules of
 * kind {@link OperatorRule#DENY} (allow rules are local exemptions, not indicators), each sorted
 * by name.
 */
public interface IndicatorExport {

  /**
   * The export as text.
   *
   * @param detections the stored detections; those expired at {@code now} are left out
   * @param rules the operator's rules; only deny rules are written
   * @param now the time of the export (serials, bundle ids, what counts as expired)
   */
  String write(List<Detection> detections, List<OperatorRule> rules, Instant now);

  /** The media type to serve the text with (for an HTTP {@code Content-Type}). */
  String mediaType();
}
