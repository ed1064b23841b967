package io.fluxguard.policy.export;

import static io.fluxguard.policy.export.ExportFixtures.NOW;
import static io.fluxguard.policy.export.ExportFixtures.allow;
import static io.fluxguard.policy.export.ExportFixtures.deny;
import static io.fluxguard.policy.export.ExportFixtures.detection;
import static io.fluxguard.policy.export.ExportFixtures.expired;
import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvExportTest {
  private static String write(List<Detection> detections, List<OperatorRule> rules) {
    return new CsvExport().write(detections, rules, NOW);
  }

  /** A strict RFC 4180 reader, to check what a spreadsheet would see. */
  private static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        assertThat(field).as("a quote inside an unquoted field at %d", i).isEmpty();
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        assertThat(c).as("a bare CR or LF at %d", i).isNotIn('\r', '\n');
        field.append(c);
      }
    }
    assertThat(quoted).as("unterminated quote").isFalse();
    assertThat(row).as("last line ends with CRLF").isEmpty();
    return rows;
  }

  @Test
  void write_headerThenOneRowPerDetectionAndDenyRule() {
    List<List<String>> rows = parse(write(List.of(detection("flux.test"), detection("evil.example", "192.0.2.1", "192.0.2.2")),
        List.of(deny("bad.example", "phishing"))));

    assertThat(rows.get(0)).containsExactly("type", "name", "registered_domain", "first_seen", "last_seen", "expires",
        "score", "addresses", "asns", "source", "reasons");
    assertThat(rows).hasSize(4).allSatisfy(r -> assertThat(r).hasSize(11));
    assertThat(rows.get(1)).containsExactly("detection", "evil.example", "evil.example", "2026-11-26T20:00:00.000Z",
        "2026-11-26T20:59:00.000Z", "2026-11-27T21:00:00.000Z", "0.930", "192.0.2.1 192.0.2.2", "64500 64501",
        "detector", "ttl 60 s; 12 addresses in 9 ASNs");
    assertThat(rows.get(2).get(1)).isEqualTo("flux.test");
    assertThat(rows.get(3)).containsExactly("deny-rule", "bad.example", "", "2026-11-19T21:00:00.000Z", "", "", "", "",
        "", "api", "phishing");
  }

  @Test
  void write_linesEndWithCrlf() {
    String csv = write(List.of(detection("evil.example")), List.of());

    assertThat(csv).startsWith(CsvExport.HEADER + "\r\n").endsWith("\r\n");
    assertThat(csv.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void write_commasQuotesAndNewlines_quotedAndQuotesDoubled() {
    String reason = "said \"hi\", then\r\nleft";
    String csv = write(List.of(detection("evil.example", 0.5, List.of(reason), List.of())), List.of());

    assertThat(csv).contains(",\"said \"\"hi\"\", then\r\nleft\"\r\n");
    assertThat(parse(csv).get(1).get(10)).isEqualTo(reason);
  }

  @Test
  void field_formulaLeaders_neutralisedWithAQuote() {
    assertThat(CsvExport.field("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(CsvExport.field("+1")).isEqualTo("'+1");
    assertThat(CsvExport.field("-2+3")).isEqualTo("'-2+3");
    assertThat(CsvExport.field("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvExport.field("\tx")).isEqualTo("'\tx");
    assertThat(CsvExport.field("\rx")).isEqualTo("\"'\rx\"");
    assertThat(CsvExport.field("a=b")).isEqualTo("a=b");
    assertThat(CsvExport.field("")).isEmpty();
    assertThat(CsvExport.field(null)).isEmpty();
  }

  @Test
  void write_attackerControlledNameAndReason_neutralisedInTheFile() {
    List<List<String>> rows = parse(write(List.of(detection("=cmd|' /C calc'!A0", 0.9, List.of("@evil"), List.of())),
        List.of(deny("-x.example", "+comment"))));

    assertThat(rows.get(1).get(1)).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(rows.get(1).get(10)).isEqualTo("'@evil");
    assertThat(rows.get(2).get(1)).isEqualTo("'-x.example");
    assertThat(rows.get(2).get(10)).isEqualTo("'+comment");
  }

  @Test
  void write_expiredDetectionsAndAllowRules_leftOut() {
    List<List<String>> rows = parse(write(List.of(expired("old.example"), detection("evil.example")),
        List.of(allow("cdn.example"), deny("bad.example", ""))));

    assertThat(rows).extracting(r -> r.get(1)).containsExactly("name", "evil.example", "bad.example");
  }

  @Test
  void write_nothingToExport_headerOnly() {
    assertThat(write(List.of(), List.of())).isEqualTo(CsvExport.HEADER + "\r\n");
  }
}
