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
 * and to syslog (RFC 5424 over UDP), from a thread of its own. {@link #publish} only queues (a
 * bounded queue: when it is full the event is dropped and counted), so a query never waits. A
 * webhook that fails (no connection, a timeout, a status other than 2xx) is tried again with
 * exponential backoff up to {@code alerts.max-attempts}; events are delivered in order, so a
 * receiver that is down holds the later ones back until it returns or the attempts run out.
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
  private final BlockingQueue<ObjectNode> queue;
  private final HttpClient http;
  private final DatagramSocket syslogSocket;
  private final String hostname;
  private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
  private final Thread worker;
  private volatile boolean closed;

  public AlertDispatcher(AlertSettings settings, MeterRegistry registry, Clock clock) throws IOException {
    this.settings = settings;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    this.syslogSocket = settings.syslog() == null ? null : new DatagramSocket();
    this.hostname = hostname();
    for (Outcome o : Outcome.values()) {
      counters.put(o, Counter.builder("fluxguard.alerts").tag("outcome", o.tag())
          .description("Alert deliveries by outcome (per destination; dropped: the queue was full)").register(registry));
    }
    this.worker = new Thread(this::run, "fluxguard-alerts");
    worker.setDaemon(true);
    worker.start();
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
        .put("protocol", h.protocol().name().toLowerCase(java.util.Locale.ROOT)).put("host", h.host())
        .put("queried_name", h.queriedName()).put("query_time", h.queryTime() == null ? null : h.queryTime().toString())
        .put("reason", h.reason());
    publish("sinkhole-contact", n);
  }

  /** Queues an event ({@code type}: detection or sinkhole-contact); never blocks. */
  public void publish(String type, ObjectNode fields) {
    ObjectNode event = JSON.createObjectNode().put("type", type).put("time", clock.instant().toString()).put("source", "fluxguard");
    event.setAll(fields);
    if (closed || !queue.offer(event)) {
      counters.get(Outcome.DROPPED).increment();
      log.warn("event=alert-dropped type={} reason=\"{}\"", type, closed ? "closed" : "queue full");
    }
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      ObjectNode event;
      try {
        event = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        continue;
      }
      String body = event.toString();
      if (syslogSocket != null) {
        syslog(event.path("type").asText(), body);
      }
      for (URI url : settings.webhooks()) {
        post(url, body);
      }
    }
  }

  private void post(URI url, String body) {
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
          return;
        }
        problem = "status " + status;
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt == settings.maxAttempts()) {
        counters.get(Outcome.FAILED).increment();
        log.error("event=alert-failed url={} attempts={} problem=\"{}\"", url, attempt, problem);
        return;
      }
      counters.get(Outcome.RETRIED).increment();
      log.warn("event=alert-retry url={} attempt={} wait={}ms problem=\"{}\"", url, attempt, wait.toMillis(), problem);
      try {
        Thread.sleep(wait.toMillis()); // this thread's own: no query waits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wait = wait.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait.multipliedBy(2);
    }
  }

  /** RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG}. */
  private void syslog(String type, String body) {
    String line = "<" + (FACILITY_LOCAL0 * 8 + SEVERITY_WARNING) + ">1 "
        + DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + " " + hostname + " fluxguard "
        + ProcessHandle.current().pid() + " " + type + " - " + body;
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try {
      syslogSocket.send(new DatagramPacket(bytes, bytes.length, settings.syslog()));
      counters.get(Outcome.DELIVERED).increment();
    } catch (IOException e) {
      counters.get(Outcome.FAILED).increment();
      log.error("event=syslog-failed server={} problem=\"{}\"", settings.syslog(), e.toString());
    }
  }

  /** Sends what is queued (each event tried once more at most) and stops. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(settings.timeout().toMillis() * 2 + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.interrupt();
    if (syslogSocket != null) {
      syslogSocket.close();
    }
  }
}
