package io.fluxguard.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events (a new detection, a sinkhole contact) to the configured webhooks as JSON POSTs
 * and to syslog (RFC 5424 over UDP), each destination from a queue and a thread of its own.
 * {@link #publish} only queues (bounded: when a queue is full the event is dropped and counted),
 * so a query never waits. A webhook that fails (no connection, a timeout, a status other than
 * 2xx) is tried again with exponential backoff up to {@code alerts.max-attempts}; a destination's
 * events go in order, so a receiver that is down holds back its own later events (never another
 * destination's) until it returns or the attempts run out.
 */
public final class AlertDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FACILITY_LOCAL0 = 16;
  private static final int SEVERITY_WARNING = 4;

  /** What happened to an event at one destination; a metric tag. */
  enum Outcome {
    DELIVERED,
    RETRIED,
    FAILED,
    DROPPED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final AlertSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final DatagramSocket syslogSocket;
  private final String hostname;
  private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
  private final java.util.List<Destination> destinations = new java.util.ArrayList<>();
  private volatile boolean closed;

  /**
   * One webhook or the syslog server, with a queue and a thread of its own: a receiver that is
   * down holds back only its own events.
   */
  private final class Destination {
    final String label; // for logs: never the URL, which may carry a secret
    final java.util.function.Predicate<ObjectNode> send; // true once delivered or given up
    final BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(settings.queueSize());
    final Thread worker;

    Destination(String label, java.util.function.Predicate<ObjectNode> send) {
      this.label = label;
      this.send = send;
      this.worker = new Thread(this::run, "fluxguard-alerts-" + destinations.size());
      worker.setDaemon(true);
    }

    void offer(ObjectNode event) {
      if (closed || !queue.offer(event)) {
        counters.get(Outcome.DROPPED).increment();
        log.warn("event=alert-dropped destination={} type={} reason=\"{}\"", label, event.path("type").asText(),
            closed ? "closed" : "queue full");
      }
    }

    private void run() {
      while (!closed || !queue.isEmpty()) {
        ObjectNode event;
        try {
          event = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          break;
        }
        if (event != null) {
          send.test(event);
        }
      }
      int left = queue.size(); // interrupted at close with events still waiting: say so
      if (left > 0) {
        counters.get(Outcome.DROPPED).increment(left);
        log.warn("event=alerts-dropped-at-shutdown destination={} count={}", label, left);
      }
    }
  }

  public AlertDispatcher(AlertSettings settings, MeterRegistry registry, Clock clock) throws IOException {
    this.settings = settings;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    this.syslogSocket = settings.syslog() == null ? null : new DatagramSocket();
    this.hostname = hostname();
    for (Outcome o : Outcome.values()) {
      counters.put(o, Counter.builder("fluxguard.alerts").tag("outcome", o.tag())
          .description("Alert deliveries by outcome (per destination; dropped: the queue was full)").register(registry));
    }
    if (syslogSocket != null) {
      destinations.add(new Destination("syslog", e -> syslog(e.path("type").asText(), e.toString())));
    }
    for (int i = 0; i < settings.webhooks().size(); i++) {
      URI url = settings.webhooks().get(i);
      String label = "webhook-" + (i + 1) + "(" + url.getHost() + ")";
      destinations.add(new Destination(label, e -> post(url, label, e.toString())));
    }
    destinations.forEach(d -> d.worker.start());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "-";
    }
  }

  /** A new detection, as an event. */
  public void detection(io.fluxguard.policy.store.Detection d) {
    ObjectNode n = JSON.createObjectNode()
        .put("name", d.name()).put("registered_domain", d.registeredDomain()).put("score", d.score())
        .put("first_seen", d.firstSeen().toString()).put("expires", d.expires().toString());
    d.reasons().forEach(n.putArray("reasons")::add);
    d.addresses().forEach(n.putArray("addresses")::add);
    d.asns().forEach(n.putArray("asns")::add);
    publish("detection", n);
  }

  /** A connection to the sinkhole listener, as an event: the workstation that made it. */
  public void sinkholeContact(io.fluxguard.sinkhole.listener.SinkholeHit h) {
    ObjectNode n = JSON.createObjectNode()
        .put("client", h.client().getHostAddress()).put("client_port", h.clientPort())
        .put("protocol", h.protocol().label()).put("host", h.host())
        .put("queried_name", h.queriedName()).put("query_time", h.queryTime() == null ? null : h.queryTime().toString())
        .put("reason", h.reason());
    publish("sinkhole-contact", n);
  }

  /** Queues an event ({@code type}: detection or sinkhole-contact); never blocks. */
  public void publish(String type, ObjectNode fields) {
    ObjectNode event = JSON.createObjectNode().put("type", type).put("time", clock.instant().toString()).put("source", "fluxguard");
    event.setAll(fields);
    for (Destination d : destinations) {
      d.offer(event);
    }
  }

  private boolean post(URI url, String label, String body) {
    Duration wait = settings.retryInitial();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      String problem;
      try {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout())
            .header("Content-Type", "application/json").header("User-Agent", "fluxguard")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          counters.get(Outcome.DELIVERED).increment();
          return true;
        }
        problem = "status " + status;
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (attempt == settings.maxAttempts() || closed) { // shutting down: one attempt, no waiting
        counters.get(Outcome.FAILED).increment();
        log.error("event=alert-failed destination={} attempts={} problem=\"{}\"", label, attempt, problem);
        return true;
      }
      counters.get(Outcome.RETRIED).increment();
      log.warn("event=alert-retry destination={} attempt={} wait={}ms problem=\"{}\"", label, attempt, wait.toMillis(), problem);
      try {
        Thread.sleep(wait.toMillis()); // this destination's own thread: no query waits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      wait = wait.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait.multipliedBy(2);
    }
    return true; // maxAttempts >= 1: not reached
  }

  /** RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG}. */
  private boolean syslog(String type, String body) {
    // RFC 5424 §6.2.3: at most six digits of fractional seconds.
    String line = "<" + (FACILITY_LOCAL0 * 8 + SEVERITY_WARNING) + ">1 "
        + DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS))
        + " " + hostname + " fluxguard "
        + ProcessHandle.current().pid() + " " + type + " - " + body;
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      syslogSocket.send(new DatagramPacket(bytes, bytes.length, settings.syslog()));
      counters.get(Outcome.DELIVERED).increment();
    } catch (IOException e) {
      counters.get(Outcome.FAILED).increment();
      log.error("event=syslog-failed server={} problem=\"{}\"", settings.syslog(), e.toString());
    }
    return true;
  }

  /**
   * Sends what is queued, each event once more at most and without waiting between attempts,
   * for up to a few timeouts; what is left then is counted as dropped and logged.
   */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + settings.timeout().toNanos() * 3;
    for (Destination d : destinations) {
      try {
        d.worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      d.worker.interrupt();
    }
    for (Destination d : destinations) {
      try {
        d.worker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (syslogSocket != null) {
      syslogSocket.close();
    }
  }
}
