package io.fluxguard.detector.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerObservationTest {
  private static Name name(String s) throws Exception {
    return Name.fromString(s);
  }

  @Test
  void text_lowerCaseWithoutTrailingDot() throws Exception {
    assertThat(AnswerObservation.text(name("WWW.Example.COM."))).isEqualTo("www.example.com");
    assertThat(AnswerObservation.text(name("_dmarc.x-y.example."))).isEqualTo("_dmarc.x-y.example");
    assertThat(AnswerObservation.text(Name.root)).isEmpty();
  }

  @Test
  void text_unusualBytes_escapedAsDnsjavaDoes() throws Exception {
    assertThat(AnswerObservation.text(name("a\\.b.example."))).isEqualTo("a\\.b.example");
  }

  @Test
  void from_cnameChainAddressesAndGlue() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("www.a.example."), Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new CNAMERecord(name("www.a.example."), DClass.IN, 300, name("edge.b.example.")), Section.ANSWER);
    m.addRecord(new ARecord(name("edge.b.example."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    m.addRecord(new ARecord(name("other.example."), DClass.IN, 60, InetAddress.getByName("192.0.2.99")), Section.ANSWER);
    m.addRecord(new NSRecord(name("b.example."), DClass.IN, 300, name("ns1.b.example.")), Section.AUTHORITY);
    m.addRecord(new AAAARecord(name("ns1.b.example."), DClass.IN, 300, InetAddress.getByName("2001:db8::53")), Section.ADDITIONAL);
    AnswerObservation o = AnswerObservation.from(name("www.a.example."), m);
    assertThat(o.owner()).isEqualTo("edge.b.example");
    assertThat(o.chain()).containsExactly("edge.b.example");
    assertThat(o.addressKeys()).containsExactly(AddressKey.of(InetAddress.getByName("192.0.2.1")));
    assertThat(o.ttl()).isEqualTo(60);
    assertThat(o.nsZone()).isEqualTo("b.example");
    assertThat(o.glueKeys()).containsExactly(AddressKey.of(InetAddress.getByName("2001:db8::53")));
  }

  @Test
  void from_cnameLoop_stopsAndKeepsNoAddresses() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("a.example."), Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new CNAMERecord(name("a.example."), DClass.IN, 300, name("b.example.")), Section.ANSWER);
    m.addRecord(new CNAMERecord(name("b.example."), DClass.IN, 300, name("a.example.")), Section.ANSWER);
    AnswerObservation o = AnswerObservation.from(name("a.example."), m);
    assertThat(o.hasAddresses()).isFalse();
    assertThat(o.chain()).hasSize(16);
  }

  @Test
  void fromWire_uncompressedMixedCaseNames_matchIgnoringCase() throws Exception {
    // Hand-written wire form: question WWW.A.example, CNAME to Edge.B.example, whose A record is
    // owned by EDGE.b.EXAMPLE (no compression anywhere).
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {0, 0, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0});
    writeName(out, "WWW.A.example");
    out.write(new byte[] {0, 1, 0, 1});
    writeName(out, "www.a.EXAMPLE");
    out.write(new byte[] {0, 5, 0, 1, 0, 0, 1, 44});
    byte[] target = nameBytes("Edge.B.example");
    out.write(new byte[] {0, (byte) target.length});
    out.write(target);
    writeName(out, "EDGE.b.EXAMPLE");
    out.write(new byte[] {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 198, 51, 100, 7});
    AnswerObservation o = AnswerObservation.fromWire(out.toByteArray());
    assertThat(o.question()).isEqualTo("www.a.example");
    assertThat(o.owner()).isEqualTo("edge.b.example");
    assertThat(o.addressKeys()).containsExactly(AddressKey.of(InetAddress.getByName("198.51.100.7")));
    assertThat(o.ttl()).isEqualTo(60);
  }

  @Test
  void fromWire_escapedLabel_readAsDnsjavaWritesIt() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("a\\.b.example."), Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new ARecord(name("a\\.b.example."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    AnswerObservation o = AnswerObservation.fromWire(m.toWire());
    assertThat(o.owner()).isEqualTo("a\\.b.example");
    assertThat(o.hasAddresses()).isTrue();
  }

  @Test
  void fromWire_everyTruncationAndManyMutations_neverThrow() throws Exception {
    Message m = new Message();
    m.addRecord(Record.newRecord(name("www.a.example."), Type.A, DClass.IN), Section.QUESTION);
    m.addRecord(new CNAMERecord(name("www.a.example."), DClass.IN, 300, name("edge.b.example.")), Section.ANSWER);
    for (int i = 1; i <= 8; i++) {
      m.addRecord(new ARecord(name("edge.b.example."), DClass.IN, 60, InetAddress.getByName("192.0.2." + i)), Section.ANSWER);
    }
    m.addRecord(new NSRecord(name("b.example."), DClass.IN, 300, name("ns1.b.example.")), Section.AUTHORITY);
    m.addRecord(new AAAARecord(name("ns1.b.example."), DClass.IN, 300, InetAddress.getByName("2001:db8::53")), Section.ADDITIONAL);
    byte[] wire = m.toWire();
    assertThat(AnswerObservation.fromWire(wire).addressKeys()).hasSize(8);
    for (int len = 0; len < wire.length; len++) {
      AnswerObservation o = AnswerObservation.fromWire(java.util.Arrays.copyOf(wire, len));
      assertThat(o.addressKeys().length).isLessThanOrEqualTo(8);
    }
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 20_000; i++) {
      byte[] mutated = wire.clone();
      for (int j = 0; j < 1 + random.nextInt(4); j++) {
        mutated[12 + random.nextInt(wire.length - 12)] = (byte) random.nextInt(256);
      }
      AnswerObservation o = AnswerObservation.fromWire(mutated); // a compression loop, a label > 63, ...
      assertThat(o).isNotNull();
    }
  }

  @Test
  void fromWire_compressionLoop_readsAsNothing() {
    // Question name is a pointer to itself.
    byte[] wire = {0, 0, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
        (byte) 0xC0, 12, 0, 1, 0, 1,
        (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1};
    AnswerObservation o = AnswerObservation.fromWire(wire);
    assertThat(o.hasAddresses()).isFalse();
  }

  private static byte[] nameBytes(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    writeName(out, text);
    return out.toByteArray();
  }

  private static void writeName(java.io.ByteArrayOutputStream out, String text) {
    for (String label : text.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.write(0);
  }
}
