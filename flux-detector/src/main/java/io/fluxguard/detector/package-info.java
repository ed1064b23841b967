/**
 * Fast-flux evidence and scoring: per-name and per-registered-domain observation windows, IP to
 * ASN data, CDN and cloud knowledge, the scorer and its reasons, flux-network clustering, and the
 * labelled corpus with its evaluation. No network code lives here; resolver-core hands it every
 * upstream answer through {@code io.fluxguard.detection.AnswerInspector}.
 */
package io.fluxguard.detector;
