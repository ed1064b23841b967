package io.fluxguard.sinkhole.listener;

import static io.fluxguard.sinkhole.listener.RunningSinkhole.CONTACT;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.LOOPBACK;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.NOW;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.connect;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.readToEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkholeListenerHttpTest {
  private RunningSinkhole sinkhole;

  @BeforeEach
  void start() throws IOException {
    sinkhole = new RunningSinkhole();
  }

  @AfterEach
  void stop() {
    sinkhole.close();
  }

  @Test
  void get_withHost_recordsOneHitWithHostAndClient() throws Exception {
    exchange("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");

    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.host()).isEqualTo("evil.example");
    assertThat(hit.client()).isEqualTo(LOOPBACK);
    assertThat(hit.clientPort()).isPositive();
    assertThat(hit.localPort()).isEqualTo(sinkhole.http().getPort());
    assertThat(hit.protocol()).isEqualTo(SinkholeProtocol.HTTP);
    assertThat(hit.time()).isEqualTo(NOW);
    assertThat(hit.queriedName()).isNull();
    assertThat(sinkhole.hits.size()).isEqualTo(1);
  }

  @Test
  void get_afterTheClientsQueryWasBlocked_recordsTheQuery() throws Exception {
    sinkhole.blockedQueries.record(LOOPBACK, "evil.example", "fast flux, score 0.97", NOW.minusSeconds(3));

    exchange("GET /beacon HTTP/1.1\r\nHost: evil.example\r\n\r\n");

    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.queriedName()).isEqualTo("evil.example");
    assertThat(hit.queryTime()).isEqualTo(NOW.minusSeconds(3));
    assertThat(hit.reason()).isEqualTo("fast flux, score 0.97");
  }

  @Test
  void get_answers403BlockPageWithNameReasonAndContactEscaped() throws Exception {
    sinkhole.blockedQueries.record(LOOPBACK, "evil.example", "<script>alert(1)</script> & more", NOW);

    String response = exchange("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");

    String head = response.substring(0, response.indexOf("\r\n\r\n"));
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertThat(head)
        .startsWith("HTTP/1.1 403 Forbidden")
        .containsIgnoringCase("content-type: text/html; charset=utf-8")
        .containsIgnoringCase("connection: close")
        .containsIgnoringCase("content-length: " + body.getBytes(StandardCharsets.UTF_8).length);
    assertThat(body)
        .contains("evil.example")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
        .contains("Call the IT desk &lt;x1234&gt; &amp; quote this page")
        .doesNotContain("<script>", CONTACT);
  }

  @Test
  void get_hostWithPort_recordedWithoutPort() throws Exception {
    exchange("GET / HTTP/1.1\r\nHost: evil.example:8080\r\n\r\n");

    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("evil.example");
  }

  @Test
  void get_ipv6LiteralHost_recordedWithoutBrackets() throws Exception {
    exchange("GET / HTTP/1.1\r\nHost: [2001:DB8::1]:80\r\n\r\n");

    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("2001:db8::1");
  }

  @Test
  void get_fromJavaHttpClient_recordedWithTheAddressAsHostAndGets403() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + sinkhole.http().getPort() + "/update.bin");

    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("127.0.0.1");
    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("127.0.0.1");
  }

  @Test
  void post_bodyOverTheLimit_stillRecordedAndAnswered413() throws Exception {
    int tooLong = SinkholeChannelInitializer.MAX_BODY + 1;
    String response =
        exchange("POST /upload HTTP/1.1\r\nHost: exfil.example\r\nContent-Length: " + tooLong
            + "\r\nConnection: close\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 413");
    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("exfil.example");
  }

  @Test
  void garbage_recordedWithoutHostAnswered400_andTheListenerKeepsServing() throws Exception {
    String response = exchange("\u0016\u0003\u0001 not http at all\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(sinkhole.awaitHits(1).host()).isNull();

    exchange("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assertThat(sinkhole.awaitHits(2).host()).isEqualTo("evil.example");
  }

  @Test
  void headersOverTheLimit_recordedWithoutHostAnswered400() throws Exception {
    String huge = "X-Padding: " + "a".repeat(SinkholeChannelInitializer.MAX_HEADERS) + "\r\n";

    String response = exchange("GET / HTTP/1.1\r\nHost: evil.example\r\n" + huge + "\r\n");

    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(sinkhole.awaitHits(1).host()).isNull();
  }

  @Test
  void connectionClosedWithoutARequest_recordedOnceWithoutHost() throws Exception {
    try (Socket socket = connect(sinkhole.http())) {
      socket.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII));
    }

    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.host()).isNull();
    assertThat(hit.protocol()).isEqualTo(SinkholeProtocol.HTTP);
  }

  @Test
  void idleConnection_closedAfterTheTimeoutAndRecorded() throws Exception {
    sinkhole.close();
    sinkhole = new RunningSinkhole(Duration.ofMillis(200), 1024);
    try (Socket socket = connect(sinkhole.http())) {
      long start = System.nanoTime();

      assertThat(socket.getInputStream().read()).isEqualTo(-1); // closed by the server

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
    assertThat(sinkhole.awaitHits(1).host()).isNull();
  }

  @Test
  void connectionsPastTheCap_closedAtOnceUnrecorded() throws Exception {
    sinkhole.close();
    sinkhole = new RunningSinkhole(Duration.ofSeconds(10), 1);
    try (Socket held = connect(sinkhole.http()); Socket refused = connect(sinkhole.http())) {
      assertThat(refused.getInputStream().read()).isEqualTo(-1);
      assertThat(sinkhole.listener.refusedConnections()).isEqualTo(1);
      assertThat(sinkhole.hits.size()).isZero();

      held.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(readToEnd(held), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 403");
    }
    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("evil.example");
  }

  @Test
  void start_addressInUse_throwsIoExceptionNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      InetSocketAddress address = new InetSocketAddress(LOOPBACK, taken.getLocalPort());
      SinkholeListenerSettings settings =
          SinkholeListenerSettings.DEFAULTS.withListeners(
              List.of(SinkholeListenerSettings.Endpoint.http(address)));
      SinkholeListener listener =
          new SinkholeListener(settings, new BlockedQueries(), new SinkholeHits(10, null), Clock.systemUTC());

      assertThatThrownBy(listener::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("sinkhole http")
          .hasMessageContaining(":" + taken.getLocalPort());
      listener.close();
    }
  }

  private String exchange(String request) throws IOException {
    try (Socket socket = connect(sinkhole.http())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(readToEnd(socket), StandardCharsets.UTF_8);
    }
  }
}
