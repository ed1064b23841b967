package io.fluxguard.sinkhole.listener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * One {@link SinkholeHit} as one line of JSON, for the hits file:
 *
 * <pre>{@code
 * {"time":"2025-05-02T09:14:03.512Z","client":"10.1.2.3","clientPort":51514,"localPort":80,
 *  "protocol":"http","host":"evil.example","queriedName":"evil.example",
 *  "queryTime":"2025-05-02T09:14:03.101Z","reason":"fast flux, score 0.97"}
 * }</pre>
 *
 * Absent values are left out. Times are ISO-8601 UTC; addresses are literals, read back without
 * any DNS lookup. Unknown fields are ignored, so older readers accept newer files.
 */
final class SinkholeHitJson {
  // Only literals go to InetAddress.getByName, which would otherwise look a name up in the DNS.

  private final ObjectMapper mapper = new ObjectMapper();

  /** The hit as JSON, without a line break (JSON escapes any inside strings). */
  String toLine(SinkholeHit hit) {
    ObjectNode node = mapper.createObjectNode();
    node.put("time", hit.time().toString());
    node.put("client", hit.client().getHostAddress());
    node.put("clientPort", hit.clientPort());
    node.put("localPort", hit.localPort());
    node.put("protocol", hit.protocol().label());
    putIfPresent(node, "host", hit.host());
    putIfPresent(node, "queriedName", hit.queriedName());
    putIfPresent(node, "queryTime", hit.queryTime() == null ? null : hit.queryTime().toString());
    putIfPresent(node, "reason", hit.reason());
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serializes", e);
    }
  }

  /**
   * The hit written by {@link #toLine}.
   *
   * @throws IOException if the line is not such a hit (torn, edited, or not JSON)
   */
  SinkholeHit fromLine(String line) throws IOException {
    JsonNode node;
    try {
      node = mapper.readTree(line);
    } catch (JsonProcessingException e) {
      // Jackson's full message spans lines; the log wants one.
      String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new IOException(e.getOriginalMessage() + where, e);
    }
    if (node == null || !node.isObject()) {
      throw new IOException("expected a JSON object");
    }
    try {
      return new SinkholeHit(
          Instant.parse(required(node, "time")),
          addressLiteral(required(node, "client")),
          port(node, "clientPort"),
          port(node, "localPort"),
          SinkholeProtocol.fromLabel(required(node, "protocol")),
          optional(node, "host"),
          optional(node, "queriedName"),
          optional(node, "queryTime") == null ? null : Instant.parse(optional(node, "queryTime")),
          optional(node, "reason"));
    } catch (DateTimeException | IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String required(JsonNode node, String field) throws IOException {
    String value = optional(node, field);
    if (value == null) {
      throw new IOException("missing text field " + field);
    }
    return value;
  }

  private static String optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static int port(JsonNode node, String field) throws IOException {
    JsonNode value = node.get(field);
    boolean valid =
        value != null && value.isIntegralNumber() && value.canConvertToInt()
            && value.intValue() >= 0 && value.intValue() <= 65535;
    if (!valid) {
      throw new IOException("field " + field + " must be a port number, got " + value);
    }
    return value.intValue();
  }

  /** An IP address literal (never a DNS lookup). */
  static InetAddress addressLiteral(String text) throws IOException {
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("not an IP address literal: " + text);
    }
  }
}
