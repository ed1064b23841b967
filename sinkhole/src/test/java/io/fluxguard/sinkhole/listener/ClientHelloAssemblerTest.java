package io.fluxguard.sinkhole.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientHelloAssemblerTest {

  @Test
  void offer_wholeHello_returnsServerName() throws Exception {
    assertThat(offerAll(ClientHellos.hello("bad.example.net")))
        .contains(new ClientHello("bad.example.net"));
  }

  @Test
  void offer_jdkClientHello_returnsServerName() throws Exception {
    assertThat(offerAll(ClientHellos.fromJdkClient("bad.example.net")))
        .contains(new ClientHello("bad.example.net"));
  }

  @Test
  void offer_oneByteAtATime_completesOnTheLastByteOnly() throws Exception {
    byte[] hello = ClientHellos.hello("evil.example");
    ClientHelloAssembler assembler = new ClientHelloAssembler();
    for (int i = 0; i < hello.length - 1; i++) {
      assertThat(offer(assembler, Arrays.copyOfRange(hello, i, i + 1))).as("byte %d", i).isEmpty();
    }
    assertThat(offer(assembler, new byte[] {hello[hello.length - 1]}))
        .contains(new ClientHello("evil.example"));
  }

  @Test
  void offer_messageSplitOverRecords_returnsServerName() throws Exception {
    byte[] message = ClientHellos.message(ClientHellos.body("split.example"));
    byte[] sevenRecords = ClientHellos.records(message, message.length / 6);

    assertThat(offerAll(sevenRecords)).contains(new ClientHello("split.example"));
  }

  @Test
  void offer_recordsAndReadsSplitDifferently_returnsServerName() throws Exception {
    byte[] hello = ClientHellos.records(ClientHellos.message(ClientHellos.body("split.example")), 10);
    ClientHelloAssembler assembler = new ClientHelloAssembler();
    Optional<ClientHello> result = Optional.empty();
    for (int at = 0; at < hello.length; at += 3) {
      result = offer(assembler, Arrays.copyOfRange(hello, at, Math.min(at + 3, hello.length)));
    }
    assertThat(result).contains(new ClientHello("split.example"));
  }

  @Test
  void offer_helloWithoutServerName_returnsNoName() throws Exception {
    assertThat(offerAll(ClientHellos.hello(null))).contains(new ClientHello(null));
  }

  @Test
  void offer_helloWithoutExtensions_returnsNoName() throws Exception {
    byte[] message = ClientHellos.message(ClientHellos.bodyWithoutExtensions());
    assertThat(offerAll(ClientHellos.records(message, message.length))).contains(new ClientHello(null));
  }

  @Test
  void offer_truncatedHello_asksForMore() throws Exception {
    byte[] hello = ClientHellos.hello("evil.example");
    assertThat(offerAll(Arrays.copyOf(hello, hello.length / 2))).isEmpty();
  }

  @Test
  void offer_httpRequest_rejectedAtTheFirstByte() {
    ClientHelloAssembler assembler = new ClientHelloAssembler();
    assertThatThrownBy(() -> offer(assembler, new byte[] {'G'}))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining("record type 71");
  }

  @Test
  void offer_alertRecord_rejected() {
    assertThatThrownBy(() -> offerAll(new byte[] {21, 3, 3, 0, 2, 2, 40}))
        .isInstanceOf(MalformedClientHelloException.class);
  }

  @Test
  void offer_otherHandshakeMessage_rejected() {
    byte[] serverHello = {22, 3, 3, 0, 4, 2, 0, 0, 0};
    assertThatThrownBy(() -> offerAll(serverHello))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining("handshake type 2");
  }

  @Test
  void offer_zeroLengthRecord_rejected() {
    assertThatThrownBy(() -> offerAll(new byte[] {22, 3, 1, 0, 0}))
        .isInstanceOf(MalformedClientHelloException.class);
  }

  @Test
  void offer_recordLongerThanTlsAllows_rejected() {
    assertThatThrownBy(() -> offerAll(new byte[] {22, 3, 1, 0x40, 1}))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining("record length 16385");
  }

  @Test
  void offer_helloLongerThanTheLimit_rejectedFromItsHeader() {
    byte[] header = {22, 3, 1, 0, 4, 1, 0, 0x40, 1}; // announces 16,385 bytes
    assertThatThrownBy(() -> offerAll(header))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining("16385");
  }

  @Test
  void offer_tinyRecordsPastTheRawLimit_rejected() {
    // A legal but absurd split: one byte per record, 6 bytes on the wire per byte of hello.
    byte[] body = ClientHellos.body("x".repeat(200) + ".example");
    byte[] padded = Arrays.copyOf(body, 4000); // trailing zeros: still parseable, just long
    byte[] oneBytePerRecord = ClientHellos.records(ClientHellos.message(padded), 1);

    assertThatThrownBy(() -> offerAll(oneBytePerRecord))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining(String.valueOf(ClientHelloAssembler.MAX_RAW_BYTES));
  }

  @Test
  void offer_serverNameLengthOverrunningItsExtension_rejected() throws Exception {
    byte[] body = ClientHellos.body("evil.example");
    int nameLength = indexOf(body, "evil.example".getBytes(StandardCharsets.US_ASCII)) - 2;
    body[nameLength + 1] = 100; // host_name length far past the extension's end
    byte[] hello = ClientHellos.records(ClientHellos.message(body), body.length + 4);

    assertThatThrownBy(() -> offerAll(hello))
        .isInstanceOf(MalformedClientHelloException.class)
        .hasMessageContaining("overruns");
  }

  @Test
  void offer_randomCorruption_neverThrowsAnythingElse() throws Exception {
    byte[] valid = ClientHellos.hello("mutated.example");
    Random random = new Random(20250502L);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = valid.clone();
      int flips = 1 + random.nextInt(4);
      for (int i = 0; i < flips; i++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      try {
        offerAll(bytes);
      } catch (MalformedClientHelloException expected) {
        // the one documented outcome for bad input
      }
    }
  }

  @Test
  void offer_randomGarbage_neverThrowsAnythingElse() {
    Random random = new Random(7L);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 22; // get past the first check more often
      }
      try {
        offerAll(bytes);
      } catch (MalformedClientHelloException expected) {
        // the one documented outcome for bad input
      }
    }
  }

  private static Optional<ClientHello> offerAll(byte[] bytes) throws MalformedClientHelloException {
    return offer(new ClientHelloAssembler(), bytes);
  }

  private static Optional<ClientHello> offer(ClientHelloAssembler assembler, byte[] bytes)
      throws MalformedClientHelloException {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return assembler.offer(buf);
    } finally {
      buf.release();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
