package io.fluxguard.sinkhole.listener;

import static io.fluxguard.sinkhole.listener.BlockedQueriesTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SinkholeHitJsonTest {
  private static final Instant T = Instant.parse("2025-05-02T09:14:03.512Z");
  private final SinkholeHitJson json = new SinkholeHitJson();

  @Test
  void toLine_fullHit_readableFieldsOnOneLine() {
    SinkholeHit hit = new SinkholeHit(T, address("10.1.2.3"), 51514, 80, SinkholeProtocol.HTTP,
        "evil.example", "evil.example", T.minusMillis(411), "fast flux, score 0.97");

    assertThat(json.toLine(hit))
        .isEqualTo("{\"time\":\"2025-05-02T09:14:03.512Z\",\"client\":\"10.1.2.3\",\"clientPort\":51514,"
            + "\"localPort\":80,\"protocol\":\"http\",\"host\":\"evil.example\","
            + "\"queriedName\":\"evil.example\",\"queryTime\":\"2025-05-02T09:14:03.101Z\","
            + "\"reason\":\"fast flux, score 0.97\"}");
  }

  @Test
  void fromLine_ipv6HitWithoutHostOrQuery_roundTrips() throws IOException {
    SinkholeHit hit = new SinkholeHit(T, address("2001:db8::1"), 1, 443, SinkholeProtocol.TLS, null,
        null, null, null);

    assertThat(json.fromLine(json.toLine(hit))).isEqualTo(hit);
  }

  @Test
  void fromLine_unknownFields_ignored() throws IOException {
    String line = "{\"time\":\"2025-05-02T09:14:03.512Z\",\"client\":\"10.1.2.3\",\"clientPort\":5,"
        + "\"localPort\":80,\"protocol\":\"http\",\"future\":{\"x\":1}}";

    assertThat(json.fromLine(line).clientPort()).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "{\"time\":\"2025-05-02T09:1",
      "{\"time\":\"yesterday\",\"client\":\"10.1.2.3\",\"clientPort\":5,\"localPort\":80,\"protocol\":\"http\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"client\":\"evil.example\",\"clientPort\":5,\"localPort\":80,\"protocol\":\"http\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"client\":\"300.1.2.3\",\"clientPort\":5,\"localPort\":80,\"protocol\":\"http\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"client\":\"10.1.2.3\",\"clientPort\":70000,\"localPort\":80,\"protocol\":\"http\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"client\":\"10.1.2.3\",\"clientPort\":5.5,\"localPort\":80,\"protocol\":\"http\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"client\":\"10.1.2.3\",\"clientPort\":5,\"localPort\":80,\"protocol\":\"ftp\"}",
      "{\"time\":\"2025-05-02T09:14:03Z\",\"clientPort\":5,\"localPort\":80,\"protocol\":\"http\"}"
  })
  void fromLine_notAHit_throwsIoException(String line) {
    assertThatThrownBy(() -> json.fromLine(line)).isInstanceOf(IOException.class);
  }
}
