package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.e2e.NastyPackets.Nasty;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Every packet of the nasty corpus, over UDP and over TCP, gets its expected outcome; the server goes on. */
class NastyPacketsTest {
  private static ScriptedUpstream upstream;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    server = new TestServer(new TestServer.Options(upstream.address()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    upstream.close();
  }

  static List<Nasty> corpus() {
    return NastyPackets.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void overUdp(Nasty p) throws Exception {
    byte[] answer = DnsClient.udp(server.address, p.wire(), p.expected() == NastyPackets.DROP ? 300 : 3000);
    check(p, answer, 512);
    assertStillAnswering();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void overTcp(Nasty p) throws Exception {
    if (p.wire().length == 0) {
      return; // a zero-length TCP frame is TcpTransportTest's case
    }
    try (Socket s = new Socket(server.address.getAddress(), server.address.getPort())) {
      s.setSoTimeout(p.expected() == NastyPackets.DROP ? 300 : 3000);
      DnsClient.writeFrame(s, p.wire());
      byte[] answer;
      try {
        answer = DnsClient.readFrame(s);
      } catch (java.net.SocketTimeoutException | java.io.EOFException e) {
        answer = null;
      }
      check(p, answer, 65535);
    }
    assertStillAnswering();
  }

  private static void check(Nasty p, byte[] answer, int sizeWithoutEdns) throws Exception {
    if (p.expected() == NastyPackets.DROP) {
      assertThat(answer).as("no answer to a dropped packet").isNull();
      return;
    }
    assertThat(answer).as("an answer").isNotNull();
    Message m = new Message(answer);
    assertThat(m.getHeader().getID()).isEqualTo(p.id());
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(Rcode.string(m.getRcode())).isEqualTo(Rcode.string(p.expected()));
    if (m.getOPT() == null) {
      assertThat(answer.length).isLessThanOrEqualTo(sizeWithoutEdns);
    }
  }

  private static void assertStillAnswering() throws Exception {
    assertThat(DnsClient.udp(server.address, Names.query("alive.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
  }
}
