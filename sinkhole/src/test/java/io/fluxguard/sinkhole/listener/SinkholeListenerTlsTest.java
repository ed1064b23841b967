package io.fluxguard.sinkhole.listener;

import static io.fluxguard.sinkhole.listener.RunningSinkhole.LOOPBACK;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.NOW;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.connect;
import static io.fluxguard.sinkhole.listener.RunningSinkhole.readToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkholeListenerTlsTest {
  /** A fatal unrecognized_name alert (RFC 8446 §6, RFC 6066 §3). */
  private static final byte[] UNRECOGNIZED_NAME_ALERT = {21, 3, 3, 0, 2, 2, 112};

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
  void jdkTlsClient_handshakeFails_andTheHitRecordsItsSni() throws Exception {
    sinkhole.blockedQueries.record(LOOPBACK, "bad.example.net", "fast flux, score 0.97", NOW.minusSeconds(1));

    // The handshake fails with an IOException; had it succeeded, handshake() throws an AssertionError.
    ClientHellos.handshake(sinkhole.tls().getPort(), "bad.example.net");

    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.host()).isEqualTo("bad.example.net");
    assertThat(hit.protocol()).isEqualTo(SinkholeProtocol.TLS);
    assertThat(hit.client()).isEqualTo(LOOPBACK);
    assertThat(hit.localPort()).isEqualTo(sinkhole.tls().getPort());
    assertThat(hit.queriedName()).isEqualTo("bad.example.net");
    assertThat(hit.reason()).isEqualTo("fast flux, score 0.97");
  }

  @Test
  void capturedClientHello_oneByteAtATime_yieldsTheSniAndAnAlert() throws Exception {
    byte[] hello = ClientHellos.fromJdkClient("bad.example.net");

    byte[] answer = sendInChunks(hello, 1);

    assertThat(answer).isEqualTo(UNRECOGNIZED_NAME_ALERT);
    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("bad.example.net");
  }

  @Test
  void helloSplitOverRecords_sentInSmallChunks_yieldsTheSni() throws Exception {
    byte[] message = ClientHellos.message(ClientHellos.body("split.example"));
    byte[] fourRecords = ClientHellos.records(message, message.length / 3);

    sendInChunks(fourRecords, 3);

    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("split.example");
  }

  @Test
  void helloWithoutSni_recordedWithoutHost() throws Exception {
    byte[] answer = sendInChunks(ClientHellos.hello(null), 1000);

    assertThat(answer).containsExactly(21, 3, 3, 0, 2, 2, 40); // handshake_failure
    assertThat(sinkhole.awaitHits(1).host()).isNull();
  }

  @Test
  void garbage_recordedWithoutHostAndClosed_andTheListenerKeepsServing() throws Exception {
    byte[] answer = sendInChunks("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 100);

    assertThat(answer).isEmpty();
    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.host()).isNull();
    assertThat(hit.protocol()).isEqualTo(SinkholeProtocol.TLS);

    sendInChunks(ClientHellos.hello("after.example"), 1000);
    assertThat(sinkhole.awaitHits(2).host()).isEqualTo("after.example");
  }

  @Test
  void truncatedHello_recordedWithoutHostWhenTheClientHangsUp() throws Exception {
    byte[] hello = ClientHellos.hello("evil.example");
    try (Socket socket = connect(sinkhole.tls())) {
      socket.getOutputStream().write(Arrays.copyOf(hello, hello.length - 10));
      socket.getOutputStream().flush();
    }

    SinkholeHit hit = sinkhole.awaitHits(1);
    assertThat(hit.host()).isNull();

    sendInChunks(ClientHellos.hello("after.example"), 1000);
    assertThat(sinkhole.awaitHits(2).host()).isEqualTo("after.example");
  }

  @Test
  void truncatedHello_closedByTheIdleTimeoutAndRecordedOnce() throws Exception {
    sinkhole.close();
    sinkhole = new RunningSinkhole(Duration.ofMillis(200), 1024);
    try (Socket socket = connect(sinkhole.tls())) {
      socket.getOutputStream().write(Arrays.copyOf(ClientHellos.hello("evil.example"), 20));

      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }

    assertThat(sinkhole.awaitHits(1).host()).isNull();
    assertThat(sinkhole.hits.size()).isEqualTo(1);
  }

  @Test
  void oneHitPerConnection_evenWithBytesAfterTheHello() throws Exception {
    byte[] hello = ClientHellos.hello("evil.example");
    byte[] helloThenMore = Arrays.copyOf(hello, hello.length + 50); // early data, say

    sendInChunks(helloThenMore, helloThenMore.length);

    assertThat(sinkhole.awaitHits(1).host()).isEqualTo("evil.example");
    // The connection is closed; nothing more can arrive for it. A second hit would be a bug.
    sendInChunks(ClientHellos.hello("marker.example"), 1000);
    sinkhole.awaitHits(2);
    assertThat(sinkhole.hits.list(null, null, null, null, 10)).extracting(SinkholeHit::host)
        .containsExactly("marker.example", "evil.example");
  }

  /** Writes {@code bytes} in pieces of {@code chunk}, each flushed, and returns all the answer. */
  private byte[] sendInChunks(byte[] bytes, int chunk) throws IOException {
    try (Socket socket = connect(sinkhole.tls())) {
      OutputStream out = socket.getOutputStream();
      try {
        for (int at = 0; at < bytes.length; at += chunk) {
          out.write(bytes, at, Math.min(chunk, bytes.length - at));
          out.flush();
        }
      } catch (IOException closedEarly) {
        // The server may hang up before the last bytes (garbage is rejected at its first byte).
      }
      try {
        return readToEnd(socket);
      } catch (java.net.SocketException reset) {
        return new byte[0]; // closed with our bytes unread: a reset instead of an orderly close
      }
    }
  }
}
