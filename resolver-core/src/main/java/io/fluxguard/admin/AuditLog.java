package io.fluxguard.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change made through the admin API, one JSON line each in {@code data-dir/audit.jsonl}
 * (appended before the change is answered) and as an INFO line on the {@code
 * io.fluxguard.audit} logger: when, who (a token's fingerprint, never the token), what, on which
 * name, and the outcome.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger("io.fluxguard.audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Clock clock;

  public AuditLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public synchronized void record(String who, String action, String target, String outcome) {
    ObjectNode n = JSON.createObjectNode()
        .put("time", clock.instant().toString())
        .put("who", who)
        .put("action", action)
        .put("target", target)
        .put("outcome", outcome);
    log.info("event=admin-change who={} action={} target={} outcome={}", who, action, target, outcome);
    try {
      Files.writeString(file, n + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.error("event=audit-write-failed file={} error=\"{}\"", file, e.getMessage());
    }
  }
}
