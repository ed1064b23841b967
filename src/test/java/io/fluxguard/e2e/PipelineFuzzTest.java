package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The whole server against random packets and mutated queries over UDP. What the first bytes
 * predict must happen: no answer to a packet shorter than a header or with QR set (none sent before
 * the answer to a probe that follows it); to anything else a well-formed answer with the packet's
 * ID and opcode, its question echoed byte for byte, within the UDP size. And the server keeps answering. Tries per property: jqwik's
 * 1,000 in the test suite; {@code bench/fuzz.sh} runs many more.
 */
class PipelineFuzzTest {
  private static ScriptedUpstream upstream;
  private static TestServer server;

  @BeforeContainer
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.timeout = Duration.ofSeconds(1);
    o.attemptTimeout = Duration.ofMillis(500);
    server = new TestServer(o);
    // the probe that follows a packet that must be dropped is answered from the cache
    DnsClient.udp(server.address, Names.query("probe.test.", Type.A));
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
    upstream.close();
  }

  @Property
  void randomPackets(@ForAll @Size(max = 700) byte[] packet) throws Exception {
    exchange(packet);
  }

  @Property
  void mutatedQueries(@ForAll("mutants") byte[] packet) throws Exception {
    exchange(packet);
  }

  private static void exchange(byte[] packet) throws Exception {
    boolean dropped = packet.length < 12 || (packet[2] & 0x80) != 0;
    int id = packet.length >= 2 ? ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF) : -1;
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(3000);
      s.send(new DatagramPacket(packet, packet.length, server.address));
      if (dropped) {
        // The server reads one socket's datagrams in order and drops on reading: anything it sent
        // for the packet would come before the answer to a probe sent after it.
        Message probe = Names.query("probe.test.", Type.A);
        probe.getHeader().setID(id < 0 ? 7 : id ^ 0x5555);
        byte[] wire = probe.toWire();
        s.send(new DatagramPacket(wire, wire.length, server.address));
        byte[] first = DnsClient.receive(s);
        assertThat(first).as("the probe's answer, and nothing for the dropped packet before it").isNotNull();
        assertThat(new Message(first).getHeader().getID()).isEqualTo(probe.getHeader().getID());
        return;
      }
      byte[] answer = DnsClient.receive(s);
      assertThat(answer).as("an answer to a packet that is not to be dropped").isNotNull();
      checkAnswer(packet, answer);
    }
  }

  private static void checkAnswer(byte[] query, byte[] answer) throws IOException {
    Message m = new Message(answer); // throws if not well formed
    assertThat(answer[0]).isEqualTo(query[0]);
    assertThat(answer[1]).isEqualTo(query[1]);
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getHeader().getOpcode()).isEqualTo((query[2] >> 3) & 0xF);
    assertThat(answer.length).isLessThanOrEqualTo(m.getOPT() == null ? 512 : 1232);
    if (m.getHeader().getCount(Section.QUESTION) == 1) {
      int questionLength = questionLength(answer);
      assertThat(Arrays.copyOfRange(answer, 12, 12 + questionLength))
          .as("the question echoed as asked")
          .isEqualTo(Arrays.copyOfRange(query, 12, 12 + questionLength));
    }
  }

  /** Bytes of the first question from offset 12 (an answer's question is never compressed). */
  private static int questionLength(byte[] wire) {
    int p = 12;
    while (wire[p] != 0) {
      p += (wire[p] & 0xFF) + 1;
    }
    return p + 1 + 4 - 12;
  }

  // ---- mutated queries ----

  /** A change to a packet; position and value are taken modulo what fits. */
  record Mutation(int kind, int position, int value) {
    byte[] apply(byte[] in) {
      int at = in.length == 0 ? 0 : Math.floorMod(position, in.length);
      byte[] out;
      switch (kind) {
        case 0 -> { // flip one bit
          out = in.clone();
          if (out.length > 0) {
            out[at] ^= (byte) (1 << (value & 7));
          }
        }
        case 1 -> { // a byte set to a boundary value: length and pointer edges
          out = in.clone();
          int[] edges = {0, 1, 0x3F, 0x40, 0x7F, 0x80, 0xC0, 0xFF};
          if (out.length > 0) {
            out[at] = (byte) edges[Math.floorMod(value, edges.length)];
          }
        }
        case 2 -> out = Arrays.copyOf(in, at); // cut
        case 3 -> { // bytes inserted
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.write(in, 0, at);
          for (int i = 0; i < 1 + Math.floorMod(value, 16); i++) {
            b.write(value + i * 31);
          }
          b.write(in, at, in.length - at);
          out = b.toByteArray();
        }
        case 4 -> { // a slice repeated (a second record, a longer name)
          int len = Math.min(1 + Math.floorMod(value, 24), in.length - at);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.write(in, 0, at + len);
          b.write(in, at, in.length - at);
          out = b.toByteArray();
        }
        default -> { // a section count (bytes 4..11) set to 0..3
          out = in.clone();
          if (out.length >= 12) {
            int count = 4 + 2 * Math.floorMod(position, 4);
            out[count] = 0;
            out[count + 1] = (byte) Math.floorMod(value, 4);
          }
        }
      }
      return out;
    }
  }

  @Provide
  Arbitrary<byte[]> mutants() {
    Arbitrary<Mutation> mutation = Combinators.combine(
            Arbitraries.integers().between(0, 5), Arbitraries.integers(), Arbitraries.integers())
        .as(Mutation::new);
    return Combinators.combine(Arbitraries.of(seeds()), mutation.list().ofMinSize(1).ofMaxSize(4))
        .as((seed, mutations) -> {
          byte[] wire = seed;
          for (Mutation m : mutations) {
            wire = m.apply(wire);
          }
          if (wire.length >= 3) {
            wire[2] &= 0x7F; // most mutants keep QR clear, so they get past the first check
          }
          return wire;
        });
  }

  /** Valid queries of many shapes, and the nasty corpus. */
  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    String[] names = {"www.example.test.", "a.test.", "xn--bcher-kva.test.", "_dmarc.mail.test.", "x".repeat(63) + ".test.", "test."};
    int[] types = {Type.A, Type.AAAA, Type.MX, Type.TXT, Type.HTTPS, Type.SRV, Type.PTR, Type.ANY, Type.CNAME, 65280};
    int i = 0;
    for (String n : names) {
      for (int type : types) {
        Message m = Message.newQuery(Record.newRecord(Name.fromConstantString(n), type, i % 7 == 0 ? DClass.CH : DClass.IN));
        if (i % 3 != 0) {
          List<EDNSOption> options = new ArrayList<>();
          if (i % 2 == 0) {
            options.add(new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
          }
          if (i % 5 == 0) {
            options.add(new ClientSubnetOption(24, Names.ip("198.51.100.0")));
          }
          if (i % 4 == 1) {
            options.add(new GenericEDNSOption(12, new byte[i % 40])); // padding
          }
          m.addRecord(new OPTRecord(i % 2 == 0 ? 1232 : 4096, 0, 0, i % 3 == 1 ? ExtendedFlags.DO : 0, options), Section.ADDITIONAL);
        }
        if (i % 4 == 2) {
          m.getHeader().setFlag(Flags.CD);
        }
        seeds.add(m.toWire());
        i++;
      }
    }
    NastyPackets.all().forEach(n -> seeds.add(n.wire()));
    return seeds;
  }
}
