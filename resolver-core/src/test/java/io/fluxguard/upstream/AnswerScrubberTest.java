package io.fluxguard.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerScrubberTest {
  private static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  private static Message answerTo(String q) throws Exception {
    Message m = new Message(7);
    m.addRecord(Record.newRecord(n(q), Type.A, DClass.IN), Section.QUESTION);
    return m;
  }

  @Test
  void scrub_recordsForOtherNamesInEverySection_removed_chainAndGlueKept() throws Exception {
    Message m = answerTo("www.example.test.");
    m.addRecord(new CNAMERecord(n("www.example.test."), DClass.IN, 300, n("edge.cdn.test.")), Section.ANSWER);
    m.addRecord(new ARecord(n("edge.cdn.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    m.addRecord(new ARecord(n("www.bank.test."), DClass.IN, 86400, InetAddress.getByName("203.0.113.66")), Section.ANSWER); // poison
    m.addRecord(new NSRecord(n("cdn.test."), DClass.IN, 300, n("ns1.cdn.test.")), Section.AUTHORITY);
    m.addRecord(new NSRecord(n("bank.test."), DClass.IN, 300, n("ns.evil.test.")), Section.AUTHORITY); // poison
    m.addRecord(new ARecord(n("ns1.cdn.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.53")), Section.ADDITIONAL);
    m.addRecord(new ARecord(n("ns.evil.test."), DClass.IN, 300, InetAddress.getByName("203.0.113.53")), Section.ADDITIONAL); // poison
    AnswerScrubber.Result r = AnswerScrubber.scrub(n("www.example.test."), m);
    assertThat(r.removed()).isEqualTo(3);
    assertThat(r.message().getSection(Section.ANSWER)).extracting(x -> x.getName().toString())
        .containsExactly("www.example.test.", "edge.cdn.test.");
    assertThat(r.message().getSection(Section.AUTHORITY)).singleElement().satisfies(x -> assertThat(x.getName()).isEqualTo(n("cdn.test.")));
    assertThat(r.message().getSection(Section.ADDITIONAL)).singleElement().satisfies(x -> assertThat(x.getName()).isEqualTo(n("ns1.cdn.test.")));
    assertThat(r.message().getHeader().getID()).isEqualTo(7);
  }

  @Test
  void scrub_cleanAnswerAndNegativeAnswerWithParentSoa_untouched() throws Exception {
    Message clean = answerTo("www.example.test.");
    clean.addRecord(new ARecord(n("www.example.test."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    assertThat(AnswerScrubber.scrub(n("www.example.test."), clean).message()).isSameAs(clean);
    Message negative = answerTo("nothing.example.test.");
    negative.addRecord(new SOARecord(n("example.test."), DClass.IN, 300, n("ns.example.test."), n("h.example.test."), 1, 2, 3, 4, 60), Section.AUTHORITY);
    assertThat(AnswerScrubber.scrub(n("nothing.example.test."), negative).removed()).isZero();
    Message foreignSoa = answerTo("nothing.example.test.");
    foreignSoa.addRecord(new SOARecord(n("other.test."), DClass.IN, 300, n("ns.other.test."), n("h.other.test."), 1, 2, 3, 4, 60), Section.AUTHORITY);
    assertThat(AnswerScrubber.scrub(n("nothing.example.test."), foreignSoa).removed()).isEqualTo(1);
  }
}
