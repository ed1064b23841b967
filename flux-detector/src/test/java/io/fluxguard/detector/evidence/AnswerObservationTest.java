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
}
