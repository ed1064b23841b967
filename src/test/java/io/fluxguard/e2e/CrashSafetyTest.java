package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code kill -9} in the middle of a burst of detections: every detection the process
 * acknowledged (logged {@code event=detection-saved}, which it does only after the fsync) is in
 * force after a restart, before any upstream traffic, and a torn last record does not stop it.
 */
class CrashSafetyTest {
  private static final Pattern SAVED = Pattern.compile("event=detection-saved name=(\\S+)");
  private static final int DOMAINS = 300;

  @TempDir Path dir;

  @Test
  void kill9DuringABurstOfDetections_losesNoAcknowledgedDetection() throws Exception {
    Path asn = FluxDetectionTest.asnFile(dir);
    Path config = dir.resolve("fluxguard.yml");
    Files.writeString(config, """
        detector:
          asn-database: [%s]
          confirm:
            enabled: false
        """.formatted(asn));
    Path data = dir.resolve("data");
    AtomicBoolean benign = new AtomicBoolean();
    Map<String, AtomicInteger> rounds = new ConcurrentHashMap<>();
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      // Each www.fN.test rotates 8 addresses in 8 networks per answer, TTL 1; after the crash
      // every name answers one stable address, so only a kept detection can block it.
      upstream.otherwise(ScriptedUpstream.answer(q -> {
        Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
        if (q.getQuestion().getType() != Type.A) {
          return m;
        }
        String name = q.getQuestion().getName().toString();
        if (benign.get()) {
          m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.80")), Section.ANSWER);
          return m;
        }
        int r = rounds.computeIfAbsent(name, k -> new AtomicInteger()).getAndIncrement();
        for (int i = 0; i < 8; i++) {
          m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 1, Names.ip("10." + ((8 * r + i) % 64) + "." + (r + 1) + "." + (name.length() % 200 + 1))), Section.ANSWER);
        }
        return m;
      }));

      List<String> acknowledged = new ArrayList<>();
      try (FluxguardProcess first = new FluxguardProcess(
          "--config", config.toString(), "--upstream", upstream.hostPort(), "--data-dir", data.toString())) {
        for (int i = 0; i < DOMAINS; i++) {
          DnsClient.udp(first.address, Names.query("www.f" + i + ".test.", Type.A)); // first answers: suspicious
        }
        Thread.sleep(1_100); // the TTL of 1 s runs out
        Thread burst = new Thread(() -> {
          for (int i = 0; i < DOMAINS; i++) {
            try {
              DnsClient.udp(first.address, Names.query("www.f" + i + ".test.", Type.A)); // second: flux
            } catch (Exception e) {
              return; // killed under us
            }
          }
        });
        burst.start();
        for (int seen = 0; seen < DOMAINS / 3; seen++) {
          String line = first.await(l -> SAVED.matcher(l).find(), 30);
          assertThat(line).as(() -> "a detection-saved line; log:\n" + String.join("\n", first.log())).isNotNull();
        }
        first.kill9(); // mid-burst: more detections are being written
        burst.join(10_000);
        for (String line : first.log()) {
          Matcher m = SAVED.matcher(line);
          if (m.find()) {
            acknowledged.add(m.group(1));
          }
        }
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(DOMAINS / 3);

      benign.set(true);
      long before = upstream.received().size();
      try (FluxguardProcess second = new FluxguardProcess(
          "--config", config.toString(), "--upstream", upstream.hostPort(), "--data-dir", data.toString())) {
        for (String name : acknowledged) {
          Message a = DnsClient.udp(second.address, Names.query(name + ".", Type.A));
          assertThat(a.getSection(Section.ANSWER)).as(name).singleElement()
              .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("0.0.0.0"));
        }
        assertThat(second.log()).noneMatch(l -> l.contains("event=journal-record-corrupt"));
      }
      // The acknowledged names were blocked before any upstream traffic (the prober's root NS
      // queries aside).
      assertThat(upstream.received().subList((int) before, upstream.received().size()))
          .noneMatch(r -> acknowledged.contains(r.name().replaceAll("\\.$", "")));
    }
  }

  private static final Pattern ADMIN = Pattern.compile("event=admin-listening address=/127\\.0\\.0\\.1:(\\d+)");
  private static final String TOKEN = "operator-token-0123456789abcdef";

  private static int adminPort(FluxguardProcess p) throws InterruptedException {
    for (String line : p.log()) {
      Matcher m = ADMIN.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    String line = p.await(l -> ADMIN.matcher(l).find(), 30);
    assertThat(line).as("an admin-listening line").isNotNull();
    Matcher m = ADMIN.matcher(line);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void kill9DuringABurstOfOperatorRules_losesNoAcknowledgedRule() throws Exception {
    Path config = dir.resolve("fluxguard.yml");
    Files.writeString(config, "admin:\n  operator-tokens: [\"" + TOKEN + "\"]\n");
    Path data = dir.resolve("data");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      try (FluxguardProcess first = new FluxguardProcess(
          "--config", config.toString(), "--upstream", upstream.hostPort(), "--data-dir", data.toString())) {
        String base = "http://127.0.0.1:" + adminPort(first) + "/api/v1/rules/deny";
        Thread burst = new Thread(() -> {
          for (int i = 0; i < 5_000; i++) {
            String name = "rule" + i + ".test";
            try {
              var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                      .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
              if (response.statusCode() == 201) {
                acknowledged.add(name); // on disk: the API answers 201 only after the fsync
              }
            } catch (Exception e) {
              return; // killed under us
            }
          }
        });
        burst.start();
        while (acknowledged.size() < 100 && burst.isAlive()) {
          Thread.sleep(5);
        }
        first.kill9();
        burst.join(10_000);
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(100);
      try (FluxguardProcess second = new FluxguardProcess(
          "--config", config.toString(), "--upstream", upstream.hostPort(), "--data-dir", data.toString())) {
        for (String name : List.copyOf(acknowledged)) {
          Message a = DnsClient.udp(second.address, Names.query("www." + name + ".", Type.A));
          assertThat(a.getSection(Section.ANSWER)).as(name).singleElement()
              .satisfies(r -> assertThat(((ARecord) r).getAddress().getHostAddress()).isEqualTo("0.0.0.0"));
        }
      }
    }
  }
}
