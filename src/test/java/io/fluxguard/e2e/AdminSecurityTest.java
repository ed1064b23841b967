package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.admin.AdminSettings;
import io.fluxguard.admin.AdminToken;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The admin port against browsers, floods, pipelining, and a dead upstream (raw HTTP over sockets). */
class AdminSecurityTest {
  private static final String OPERATOR = "operator-token-0123456789abcdef";

  /** Sends raw bytes, returns everything the server answers before it closes (or 3 s pass). */
  private static String raw(InetSocketAddress admin, String request) throws Exception {
    try (Socket s = new Socket(admin.getAddress(), admin.getPort())) {
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (java.net.SocketTimeoutException e) {
        // keep-alive: what arrived is the answer
      }
      return b.toString();
    }
  }

  @Test
  void withoutTokens_webPagesAndRebindingHostsAreRefused_bodiesMustBeJson() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        TestServer server = new TestServer(new TestServer.Options(upstream.address()))) {
      InetSocketAddress admin = server.fluxguard.adminAddress();
      String body = "{\"name\":\"malware-c2.example\"}";
      String fromPage = raw(admin, "POST /api/v1/rules/allow HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://attacker.example\r\n"
          + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
      assertThat(fromPage).startsWith("HTTP/1.1 403").contains("requests from web pages are refused");
      String rebound = raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: rebind.attacker.example:8053\r\nConnection: close\r\n\r\n");
      assertThat(rebound).startsWith("HTTP/1.1 403").contains("loopback Host");
      String plain = raw(admin, "POST /api/v1/rules/allow HTTP/1.1\r\nHost: localhost:8053\r\nContent-Type: text/plain\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
      assertThat(plain).startsWith("HTTP/1.1 415");
      assertThat(server.fluxguard.blocking().rules().allowing("malware-c2.example")).isNull();
      String ok = raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: [::1]:8053\r\nConnection: close\r\n\r\n");
      assertThat(ok).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void withTokens_noBodyIsReadBeforeTheToken_pipelinedAnswersKeepTheirOrder() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.admin = new AdminSettings(new InetSocketAddress("127.0.0.1", 0), List.of(new AdminToken(OPERATOR, AdminToken.Role.OPERATOR)), 64 * 1024);
      try (TestServer server = new TestServer(o)) {
        InetSocketAddress admin = server.fluxguard.adminAddress();
        // A body declared but never sent: answered 401 at once, from the head alone, and closed.
        String refused = raw(admin, "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{");
        assertThat(refused).startsWith("HTTP/1.1 401").contains("valid bearer token");

        String body = "{\"name\":\"bad.test\"}";
        String both = raw(admin,
            "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + OPERATOR + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body
                + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(both.indexOf("HTTP/1.1 201")).isNotNegative().isLessThan(both.indexOf("HTTP/1.1 200"));
      }
    }
  }

  @Test
  void oversizedRequestLinesHeadersAndBodies_refusedWithJsonErrors_beforeTheToken_serverKeepsServing() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.admin = new AdminSettings(new InetSocketAddress("127.0.0.1", 0), List.of(new AdminToken(OPERATOR, AdminToken.Role.OPERATOR)), 1024);
      try (TestServer server = new TestServer(o)) {
        InetSocketAddress admin = server.fluxguard.adminAddress();
        String auth = "Authorization: Bearer " + OPERATOR + "\r\n";
        String longLine = raw(admin, "GET /api/v1/stats?x=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        assertThat(longLine).startsWith("HTTP/1.1 414").contains("{\"error\":\"the request line is longer than 4096 bytes\"");
        String oneLongHeader = raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth + "X-Pad: " + "b".repeat(9000) + "\r\n\r\n");
        assertThat(oneLongHeader).startsWith("HTTP/1.1 431").contains("request headers are longer than 8192 bytes");
        StringBuilder many = new StringBuilder("GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth);
        for (int i = 0; i < 800; i++) { // about 16 KB of headers
          many.append("X-Header-").append(i).append(": value\r\n");
        }
        String manyHeaders = raw(admin, many.append("\r\n").toString());
        // refused from the head alone: the valid token came before the headers ran over
        assertThat(manyHeaders).startsWith("HTTP/1.1 431").contains("application/json");
        String body = "{\"name\":\"" + "c".repeat(2000) + ".test\"}";
        String bigBody = raw(admin, "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(bigBody).startsWith("HTTP/1.1 413").contains("request body is longer than 1024 bytes");
        // without a token: the head's size is judged first
        assertThat(raw(admin, "GET /api/v1/stats?x=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Pad: " + "b".repeat(9000) + "\r\n\r\n")).startsWith("HTTP/1.1 431");
        // pipelined behind a good request, a refusal waits for that request's answer
        String pipelined = raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"
            + "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth + "X-Pad: " + "b".repeat(9000) + "\r\n\r\n");
        assertThat(pipelined).startsWith("HTTP/1.1 200").contains("HTTP/1.1 431");
        // once refused, a connection carries out nothing more, not even a good request behind it
        String good = "{\"name\":\"behind-a-refusal.test\"}";
        String goodPost = "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
            + "Content-Length: " + good.length() + "\r\n\r\n" + good;
        assertThat(raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n\r\n" + goodPost)).startsWith("HTTP/1.1 401").doesNotContain("HTTP/1.1 201");
        assertThat(raw(admin, "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body + goodPost)).startsWith("HTTP/1.1 413").doesNotContain("HTTP/1.1 201");
        assertThat(server.fluxguard.blocking().rules().denying("behind-a-refusal.test")).isNull();
        // expectations: only 100-continue, and not for a body over the limit
        String expectOther = raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth + "Expect: teapot\r\n\r\n");
        assertThat(expectOther).startsWith("HTTP/1.1 417").contains("\"error\"");
        String expectBig = raw(admin, "POST /api/v1/rules/deny HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
            + "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
        assertThat(expectBig).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
        for (String answer : List.of(longLine, oneLongHeader, manyHeaders, bigBody, expectOther, expectBig)) {
          assertThat(answer).containsIgnoringCase("connection: close").doesNotContain("Exception").doesNotContain("io.netty");
        }
        assertThat(raw(admin, "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void readyz_503WhenNoUpstreamIsUp() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.failureThreshold = 1;
      o.attemptTimeout = Duration.ofMillis(200);
      o.timeout = Duration.ofMillis(400);
      o.probeInterval = Duration.ofMinutes(10);
      try (TestServer server = new TestServer(o)) {
        InetSocketAddress admin = server.fluxguard.adminAddress();
        assertThat(raw(admin, "GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        upstream.setDead(true);
        DnsClient.udp(server.address, Names.query("a.test.", Type.A)); // SERVFAIL; the upstream is marked down
        assertThat(raw(admin, "GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 503").contains("\"upstreams_up\" : 0");
      }
    }
  }
}
