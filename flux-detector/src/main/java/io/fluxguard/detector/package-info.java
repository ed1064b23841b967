/**
 * Fast-flux evidence and scoring (issue "flux-detector"): per-domain observation windows, IP to
 * ASN data, CDN knowledge, the scorer and its reasons. No network code lives here.
 *
 * <p>Not built yet: the resolver pipeline in {@code resolver-core} has the seam
 * ({@code io.fluxguard.detection.AnswerInspector}) this module will plug into.
 */
package io.fluxguard.detector;
