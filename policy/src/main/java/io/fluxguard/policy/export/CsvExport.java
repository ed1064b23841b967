package io.fluxguard.policy.export;

import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes detections and deny rules as a CSV table for analysts (RFC 4180): a header line, then
 * one line per detection and per deny rule, each ended by CRLF (§2.1–2.3). A field holding a
 * comma, double quote, CR or LF is put in double quotes with its quotes doubled (§2.5–2.7).
 *
 * <p>Columns: {@value #HEADER}. Times are UTC, ISO 8601 with milliseconds; addresses and ASNs
 * are space-separated; reasons are joined with {@code "; "}. A deny rule fills {@code name},
 * {@code first_seen} (when it was made), {@code source} (its origin: {@code config} or
 * {@code api}) and {@code reasons} (its comment), and leaves the other columns empty.
 *
 * <p><b>Formula injection.</b> Analysts open these files in spreadsheets, and a spreadsheet runs a
 * cell that starts with {@code =}, {@code +}, {@code -} or {@code @} as a formula (a tab or CR
 * first can hide one). Names and reasons come from DNS traffic an attacker controls, so any field
 * starting with one of those characters gets a leading {@code '}, which spreadsheets take as
 * "text" and do not show (OWASP, "CSV Injection"). Other CSV readers see the quote: strip one
 * leading {@code '} before such a character to get the value back.
 */
public final class CsvExport implements IndicatorExport {
  static final String HEADER =
      "type,name,registered_domain,first_seen,last_seen,expires,score,addresses,asns,source,reasons";
  private static final String CRLF = "\r\n";

  /** {@code text/csv} with its header (RFC 4180 §3, RFC 7111). */
  @Override
  public String mediaType() {
    return "text/csv; charset=utf-8; header=present";
  }

  @Override
  public String write(List<Detection> detections, List<OperatorRule> rules, Instant now) {
    StringBuilder out = new StringBuilder(HEADER).append(CRLF);
    for (Detection d : ExportItems.liveDetections(detections, now)) {
      row(out, "detection", d.name(), d.registeredDomain(), ExportItems.timestamp(d.firstSeen()),
          ExportItems.timestamp(d.lastSeen()), ExportItems.timestamp(d.expires()), ExportItems.score(d.score()),
          String.join(" ", d.addresses()),
          d.asns().stream().map(String::valueOf).collect(Collectors.joining(" ")),
          d.source(), String.join("; ", d.reasons()));
    }
    for (OperatorRule r : ExportItems.denyRules(rules)) {
      row(out, "deny-rule", r.name(), "", ExportItems.timestamp(r.created()), "", "", "", "", "",
          r.origin(), r.comment());
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields[i]));
    }
    out.append(CRLF);
  }

  /** One field: neutralised against formulas, then quoted if RFC 4180 needs it. */
  static String field(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
