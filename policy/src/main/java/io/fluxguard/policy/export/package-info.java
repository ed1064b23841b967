/**
 * Indicator export: fluxguard's detections and the operator's deny rules written as an RPZ zone
 * ({@link io.fluxguard.policy.export.RpzExport}), a STIX 2.1 bundle
 * ({@link io.fluxguard.policy.export.StixExport}) or CSV ({@link io.fluxguard.policy.export.CsvExport}),
 * to share with other organisations. Pure writers behind
 * {@link io.fluxguard.policy.export.IndicatorExport}: text in memory, no I/O.
 */
package io.fluxguard.policy.export;
