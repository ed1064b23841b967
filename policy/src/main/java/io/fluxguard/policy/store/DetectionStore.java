package io.fluxguard.policy.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detections, in memory for lookups on every query and in a {@link Journal} in the data
 * directory so none that was acknowledged is lost. Read whole at start, before the server
 * answers, so earlier blocks are in force for the first query.
 *
 * <p>A detection is written when it is new, and again when it is confirmed more than {@code
 * refreshAfter} after its last write (so a crash costs at most that much of its expiry, never the
 * detection). Expired detections stop matching at once and are left out when the journal is
 * compacted.
 */
public final class DetectionStore implements AutoCloseable {
  public static final String FILE = "detections.journal";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Detection> byName = new ConcurrentHashMap<>();
  private final Map<String, Instant> written = new ConcurrentHashMap<>(); // lastSeen as last written
  private final Map<InetAddress, Detection> byAddress = new ConcurrentHashMap<>(); // evidence address → detection
  private final Duration expiry;
  private final Duration refreshAfter;
  private final Clock clock;
  private final Journal journal;

  public DetectionStore(Path dataDir, Duration expiry, Duration refreshAfter, Clock clock) throws IOException {
    this.expiry = expiry;
    this.refreshAfter = refreshAfter;
    this.clock = clock;
    this.journal = new Journal(dataDir.resolve(FILE), 1_000, this::liveRecords, byName::size, this::replay);
  }

  private void replay(String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    String op = n.path("op").asText();
    String name = n.path("name").asText();
    if (op.equals("remove")) {
      remove(byName.remove(name));
      written.remove(name);
      return;
    }
    if (!op.equals("put") || name.isEmpty()) {
      throw new IllegalArgumentException("unknown record: op=" + op);
    }
    Detection d = fromJson(n);
    if (d.expiredAt(clock.instant())) {
      remove(byName.remove(name));
      return;
    }
    put(d);
    written.put(name, d.lastSeen());
  }

  private void put(Detection d) {
    remove(byName.put(d.name(), d));
    for (String text : d.addresses()) {
      InetAddress a = address(text);
      if (a != null) {
        byAddress.put(a, d);
      }
    }
  }

  private void remove(Detection old) {
    if (old != null) {
      for (String text : old.addresses()) {
        InetAddress a = address(text);
        if (a != null) {
          byAddress.remove(a, old);
        }
      }
    }
  }

  /** An evidence address as kept in {@link #byAddress}, or null for text that is no address literal. */
  private static InetAddress address(String text) {
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Records a flux verdict for {@code name}: a new detection, or a confirmation of one.
   *
   * @return completes when the change is on disk: true when a record was written, false (at once)
   *     when nothing needed writing
   */
  public CompletableFuture<Boolean> confirm(
      String name, String registeredDomain, double score, List<String> reasons, List<String> addresses, List<Integer> asns) {
    Detection d;
    Instant now = clock.instant();
    synchronized (this) { // flux verdicts are rare; two loops confirming one name must not interleave
      Detection old = byName.get(name);
      d = old == null || old.expiredAt(now)
          ? new Detection(name, registeredDomain, now, now, now.plus(expiry), score, reasons, addresses, asns, "detector")
          : new Detection(name, registeredDomain, old.firstSeen(), now, now.plus(expiry), score, reasons,
              union(old.addresses(), addresses), asns, old.source());
      put(d);
      Instant lastWritten = written.get(name);
      if (old != null && lastWritten != null && Duration.between(lastWritten, now).compareTo(refreshAfter) < 0
          && d.addresses().size() == old.addresses().size()) {
        return CompletableFuture.completedFuture(false);
      }
    }
    // Remembered as written only once it is: a failed write is tried again on the next confirmation.
    return journal.append(toJson(d)).thenApply(v -> {
      written.merge(name, now, (a, b) -> a.isAfter(b) ? a : b);
      return true;
    });
  }

  /**
   * An analyst confirmed the detection: it becomes the operator's ({@code source: operator}),
   * acting in the detections' own mode whatever the flux mode, and its expiry starts again.
   *
   * @return the confirmed detection once on disk, or null (at once) when there is none in force
   */
  public CompletableFuture<Detection> confirmByOperator(String name) {
    Detection d;
    synchronized (this) {
      Detection old = byName.get(name);
      Instant now = clock.instant();
      if (old == null || old.expiredAt(now)) {
        return CompletableFuture.completedFuture(null);
      }
      d = new Detection(old.name(), old.registeredDomain(), old.firstSeen(), old.lastSeen(), now.plus(expiry), old.score(),
          old.reasons(), old.addresses(), old.asns(), "operator");
      put(d);
    }
    Detection confirmed = d;
    return journal.append(toJson(d)).thenApply(v -> {
      written.put(name, clock.instant());
      return confirmed;
    });
  }

  /** Removes a detection (an analyst dismissed it). */
  public CompletableFuture<Void> remove(String name) {
    synchronized (this) {
      remove(byName.remove(name));
      written.remove(name);
    }
    ObjectNode n = JSON.createObjectNode().put("op", "remove").put("name", name);
    return journal.append(n.toString());
  }

  /** Forgets detections that have expired (they already match nothing); called now and then. */
  public synchronized int purgeExpired() {
    Instant now = clock.instant();
    int purged = 0;
    for (Detection d : List.copyOf(byName.values())) {
      if (d.expiredAt(now) && byName.remove(d.name(), d)) {
        remove(d);
        written.remove(d.name());
        purged++;
      }
    }
    return purged;
  }

  /** The detection covering {@code name} (it, or a parent), if in force. */
  public Detection match(String name) {
    Detection d = SuffixWalk.find(byName, name);
    return d == null || d.expiredAt(clock.instant()) ? null : d;
  }

  /** The detection whose evidence holds the address (text), if in force. */
  public Detection matchAddress(String address) {
    InetAddress a = address(address);
    return a == null ? null : matchAddress(a);
  }

  /** The detection whose evidence holds the address (4 or 16 bytes, as in an answer), if in force. */
  public Detection matchAddress(byte[] address) {
    try {
      return matchAddress(InetAddress.getByAddress(address)); // ::ffff:a.b.c.d comes back as IPv4
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private Detection matchAddress(InetAddress address) {
    Detection d = byAddress.get(address);
    // Only a detection still in force under its name counts (not one since replaced or dismissed).
    return d == null || d.expiredAt(clock.instant()) || byName.get(d.name()) != d ? null : d;
  }

  public Detection get(String name) {
    return byName.get(name);
  }

  /** Detections in force, newest first. */
  public List<Detection> list() {
    Instant now = clock.instant();
    List<Detection> out = new ArrayList<>();
    for (Detection d : byName.values()) {
      if (!d.expiredAt(now)) {
        out.add(d);
      }
    }
    out.sort(Comparator.comparing(Detection::lastSeen).reversed());
    return out;
  }

  public int size() {
    return byName.size();
  }

  public boolean hasAddresses() {
    return !byAddress.isEmpty();
  }

  private List<String> liveRecords() {
    List<String> out = new ArrayList<>();
    for (Detection d : list()) {
      out.add(toJson(d));
    }
    return out;
  }

  private static List<String> union(List<String> a, List<String> b) {
    if (a.containsAll(b)) {
      return a;
    }
    List<String> out = new ArrayList<>(a);
    for (String x : b) {
      if (!out.contains(x) && out.size() < 256) {
        out.add(x);
      }
    }
    return out;
  }

  static String toJson(Detection d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("op", "put");
    n.put("name", d.name());
    n.put("registered-domain", d.registeredDomain());
    n.put("first-seen", d.firstSeen().toString());
    n.put("last-seen", d.lastSeen().toString());
    n.put("expires", d.expires().toString());
    n.put("score", d.score());
    n.put("source", d.source());
    d.reasons().forEach(n.putArray("reasons")::add);
    d.addresses().forEach(n.putArray("addresses")::add);
    d.asns().forEach(n.putArray("asns")::add);
    return n.toString();
  }

  private static Detection fromJson(JsonNode n) {
    List<String> reasons = new ArrayList<>();
    n.path("reasons").forEach(x -> reasons.add(x.asText()));
    List<String> addresses = new ArrayList<>();
    n.path("addresses").forEach(x -> addresses.add(x.asText()));
    List<Integer> asns = new ArrayList<>();
    n.path("asns").forEach(x -> asns.add(x.asInt()));
    try {
      return new Detection(n.path("name").asText(), n.path("registered-domain").asText(),
          Instant.parse(n.path("first-seen").asText()), Instant.parse(n.path("last-seen").asText()),
          Instant.parse(n.path("expires").asText()), n.path("score").asDouble(), reasons, addresses, asns,
          n.path("source").asText("detector"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("bad time: " + e.getParsedString());
    }
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
