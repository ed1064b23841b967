package io.fluxguard.policy.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operator allow and deny rules: those in the configuration file, and those added at run time
 * (the admin API), which are kept in a {@link Journal} in the data directory. A rule covers its
 * name and every name under it.
 */
public final class OperatorRules implements AutoCloseable {
  public static final String FILE = "rules.journal";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, OperatorRule> allow = new ConcurrentHashMap<>();
  private final Map<String, OperatorRule> deny = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Journal journal;

  public OperatorRules(Path dataDir, List<String> configAllow, List<String> configDeny, Clock clock) throws IOException {
    this.clock = clock;
    Instant now = clock.instant();
    for (String n : configAllow) {
      allow.put(n, new OperatorRule(OperatorRule.ALLOW, n, now, "", "config"));
    }
    for (String n : configDeny) {
      deny.put(n, new OperatorRule(OperatorRule.DENY, n, now, "", "config"));
    }
    this.journal = new Journal(dataDir.resolve(FILE), 1_000, this::liveRecords, () -> allow.size() + deny.size(), this::replay);
  }

  private Map<String, OperatorRule> of(String kind) {
    return switch (kind) {
      case OperatorRule.ALLOW -> allow;
      case OperatorRule.DENY -> deny;
      default -> throw new IllegalArgumentException("a rule is allow or deny, got " + kind);
    };
  }

  private void replay(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    String op = n.path("op").asText();
    Map<String, OperatorRule> rules = of(n.path("kind").asText());
    String name = n.path("name").asText();
    if (op.equals("remove")) {
      rules.remove(name);
    } else if (op.equals("put")) {
      rules.put(name, new OperatorRule(n.path("kind").asText(), name, Instant.parse(n.path("created").asText()),
          n.path("comment").asText(""), "api"));
    } else {
      throw new IllegalArgumentException("unknown record: op=" + op);
    }
  }

  /** Adds (or replaces) a rule; completes when it is on disk. */
  public CompletableFuture<OperatorRule> add(String kind, String name, String comment) {
    OperatorRule rule = new OperatorRule(kind, name, clock.instant(), comment == null ? "" : comment, "api");
    of(kind).put(name, rule);
    return journal.append(toJson(rule)).thenApply(v -> rule);
  }

  /** Removes a rule; completes with whether there was one, once the removal is on disk. */
  public CompletableFuture<Boolean> remove(String kind, String name) {
    boolean had = of(kind).remove(name) != null;
    ObjectNode n = JSON.createObjectNode().put("op", "remove").put("kind", kind).put("name", name);
    return journal.append(n.toString()).thenApply(v -> had);
  }

  public boolean hasAllowRules() {
    return !allow.isEmpty();
  }

  /** The allow rule covering {@code name} (it or a parent), or null. */
  public OperatorRule allowing(String name) {
    return SuffixWalk.find(allow, name);
  }

  /** The deny rule covering {@code name} (it or a parent), or null. */
  public OperatorRule denying(String name) {
    return SuffixWalk.find(deny, name);
  }

  /** How many rules of {@code kind} there are (no copy, for gauges). */
  public int count(String kind) {
    return of(kind).size();
  }

  public List<OperatorRule> list(String kind) {
    List<OperatorRule> out = new ArrayList<>(of(kind).values());
    out.sort(Comparator.comparing(OperatorRule::name));
    return out;
  }

  private List<String> liveRecords() {
    List<String> out = new ArrayList<>();
    for (Map<String, OperatorRule> rules : List.of(allow, deny)) {
      for (OperatorRule r : rules.values()) {
        if (r.origin().equals("api")) {
          out.add(toJson(r));
        }
      }
    }
    return out;
  }

  private static String toJson(OperatorRule r) {
    return JSON.createObjectNode().put("op", "put").put("kind", r.kind()).put("name", r.name())
        .put("created", r.created().toString()).put("comment", r.comment()).toString();
  }

  @Override
  public void close() {
    try {
      journal.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
