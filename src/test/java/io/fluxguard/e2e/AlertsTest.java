package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fluxguard.alerts.AlertSettings;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import io.fluxguard.sinkhole.listener.SinkholeProtocol;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** New detections and sinkhole contacts reach a local webhook receiver (also one that is down at first) and syslog. */
class AlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void detectionAndSinkholeContact_deliveredToWebhook_afterItComesBack_andToSyslog() throws Exception {
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    AtomicInteger refusals = new AtomicInteger(2); // the receiver is "down" (503) for the first two attempts
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status = refusals.getAndDecrement() > 0 ? 503 : 204;
      if (status == 204) {
        received.add(body);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    ManualTicker ticker = new ManualTicker();
    try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        ScriptedUpstream upstream = new ScriptedUpstream()) {
      syslog.setSoTimeout(5000);
      upstream.on("www.evil.test.", FluxDetectionTest.rotating(180, 7));
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.ticker = ticker;
      o.dataDir = dir.resolve("data");
      o.detection = FluxDetectionTest.settings(FluxDetectionTest.asnFile(dir), false);
      o.policy = PolicySettings.DEFAULTS;
      o.sinkholeListener = SinkholeListenerSettings.DEFAULTS.withListeners(
          List.of(SinkholeListenerSettings.Endpoint.http(new InetSocketAddress("127.0.0.1", 0))));
      o.alerts = new AlertSettings(List.of(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")),
          (InetSocketAddress) syslog.getLocalSocketAddress(), 100, 5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2));
      try (TestServer server = new TestServer(o)) {
        DnsClient.udp(server.address, Names.query("www.evil.test.", Type.A));
        ticker.advance(Duration.ofSeconds(181));
        DnsClient.udp(server.address, Names.query("www.evil.test.", Type.A)); // flux: a new detection

        JsonNode detection = JSON.readTree(received.poll(10, TimeUnit.SECONDS));
        assertThat(detection.path("type").asText()).isEqualTo("detection");
        assertThat(detection.path("name").asText()).isEqualTo("www.evil.test");
        assertThat(detection.path("reasons").get(0).asText()).contains("16 addresses");
        assertThat(server.counter("fluxguard.alerts", "outcome", "retried")).isEqualTo(2);

        byte[] buffer = new byte[8192];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        syslog.receive(packet);
        String line = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertThat(line).matches("<132>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z \\S+ fluxguard \\d+ detection - \\{.*\"name\":\"www.evil.test\".*\\}");

        InetSocketAddress sink = server.fluxguard.blocking().listener().boundAddresses(SinkholeProtocol.HTTP).get(0);
        try (Socket s = new Socket("127.0.0.1", sink.getPort())) {
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.evil.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getInputStream().readAllBytes();
        }
        JsonNode contact = JSON.readTree(received.poll(10, TimeUnit.SECONDS));
        assertThat(contact.path("type").asText()).isEqualTo("sinkhole-contact");
        assertThat(contact.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(contact.path("host").asText()).isEqualTo("www.evil.test");
      }
    } finally {
      receiver.stop(0);
    }
  }
}
