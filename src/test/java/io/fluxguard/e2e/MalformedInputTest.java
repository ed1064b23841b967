package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.e2e.NastyPackets.Nasty;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Bad packets get FORMERR, NOTIMP or BADVERS, or are dropped and counted; the server goes on. Every
 * packet of the nasty corpus ({@link NastyPackets}), over UDP and over TCP, gets its expected outcome.
 */
class MalformedInputTest {
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

  @Test
  void packetShorterThanHeader_droppedAndCounted() throws Exception {
    double before = server.counter("fluxguard.packets.dropped", "reason", "short");
    assertThat(DnsClient.udp(server.address, new byte[] {1, 2, 3}, 500)).isNull();
    assertThat(server.counter("fluxguard.packets.dropped", "reason", "short")).isEqualTo(before + 1);
  }

  @Test
  void response_droppedAndCounted() throws Exception {
    Message m = Names.query("reflect.test.", Type.A);
    m.getHeader().setFlag(Flags.QR);
    double before = server.counter("fluxguard.packets.dropped", "reason", "response");
    assertThat(DnsClient.udp(server.address, m.toWire(), 500)).isNull();
    assertThat(server.counter("fluxguard.packets.dropped", "reason", "response")).isEqualTo(before + 1);
  }

  @Test
  void truncatedBody_formerrWithSameId() throws Exception {
    Message m = Names.query("cut.test.", Type.A);
    byte[] wire = Arrays.copyOf(m.toWire(), 18);
    Message answer = new Message(DnsClient.udp(server.address, wire, 2000));
    assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(answer.getHeader().getID()).isEqualTo(m.getHeader().getID());
  }

  @Test
  void twoQuestions_formerr() throws Exception {
    byte[] wire = Names.query("two.test.", Type.A).toWire();
    wire[5] = 2;
    assertThat(new Message(DnsClient.udp(server.address, wire, 2000)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void tcBitInAQuery_formerrCountedAsAHeaderFault() throws Exception {
    Message m = Names.query("tc-query.test.", Type.A);
    m.getHeader().setFlag(Flags.TC);
    double before = server.counter("fluxguard.queries.rejected", "reason", "header");
    assertThat(DnsClient.udp(server.address, m).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(server.counter("fluxguard.queries.rejected", "reason", "header")).isEqualTo(before + 1);
    assertThat(upstream.count("tc-query.test.")).isZero();
  }

  @Test
  void notifyOpcode_notimp() throws Exception {
    Message m = Names.query("zone.test.", Type.SOA);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    assertThat(DnsClient.udp(server.address, m).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void ednsVersion1_badvers() throws Exception {
    Message m = Names.query("future.test.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message answer = DnsClient.udp(server.address, m);
    assertThat(answer.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(answer.getOPT().getVersion()).isZero();
    assertThat(upstream.count("future.test.")).isZero();
  }

  @Test
  void compressionLoopInQuestion_formerr() throws Exception {
    byte[] wire = Names.query("loop.test.", Type.A).toWire();
    wire[12] = (byte) 0xC0; // pointer to itself
    wire[13] = 12;
    assertThat(new Message(DnsClient.udp(server.address, wire, 2000)).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void queryLargerThanTheReadLimit_formerrAndServerGoesOn() throws Exception {
    Message m = Names.query("padded.test.", Type.A);
    // An EDNS padding option (RFC 7830) of 6,000 bytes: beyond the 4,096-byte read limit.
    m.addRecord(
        new OPTRecord(1232, 0, 0, 0, java.util.List.of(new org.xbill.DNS.GenericEDNSOption(12, new byte[6000]))),
        Section.ADDITIONAL);
    byte[] answer = DnsClient.udp(server.address, m.toWire(), 2000);
    assertThat(answer).as("an answer to the cut query").isNotNull();
    assertThat(new Message(answer).getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(new Message(answer).getHeader().getID()).isEqualTo(m.getHeader().getID());
    assertThat(DnsClient.udp(server.address, Names.query("after-big.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void afterAFloodOfJunk_stillAnswers() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      DnsClient.udp(server.address, junk, 1);
    }
    assertThat(DnsClient.udp(server.address, Names.query("alive.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
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
