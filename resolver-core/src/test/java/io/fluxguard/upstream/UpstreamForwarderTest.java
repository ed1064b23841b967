package io.fluxguard.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** How upstream replies are judged, and what a client gets when every upstream failed. */
class UpstreamForwarderTest {
  private static final Name NAME = Name.fromConstantString("www.example.");

  private static Message reply(int rcode) {
    Message m = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(rcode);
    return m;
  }

  @Test
  void classify_answersAndFinalRcodes() {
    assertThat(UpstreamForwarder.classify(reply(Rcode.NOERROR), null)).isEqualTo(UpstreamOutcome.ANSWER);
    assertThat(UpstreamForwarder.classify(reply(Rcode.NXDOMAIN), null)).isEqualTo(UpstreamOutcome.ANSWER);
    assertThat(UpstreamForwarder.classify(reply(Rcode.YXDOMAIN), null)).isEqualTo(UpstreamOutcome.ANSWER);
  }

  @Test
  void classify_errorRcodesSendUsOn() {
    for (int rcode : new int[] {Rcode.SERVFAIL, Rcode.REFUSED, Rcode.NOTIMP, Rcode.FORMERR}) {
      assertThat(UpstreamForwarder.classify(reply(rcode), null)).as(Rcode.string(rcode)).isEqualTo(UpstreamOutcome.RCODE_FAILURE);
    }
  }

  @Test
  void classify_notAReplyOrTruncatedEvenOverTcp_invalid() {
    Message query = reply(Rcode.NOERROR);
    query.getHeader().unsetFlag(Flags.QR);
    assertThat(UpstreamForwarder.classify(query, null)).isEqualTo(UpstreamOutcome.INVALID);
    Message truncated = reply(Rcode.NOERROR);
    truncated.getHeader().setFlag(Flags.TC);
    assertThat(UpstreamForwarder.classify(truncated, null)).isEqualTo(UpstreamOutcome.INVALID);
  }

  @Test
  void asServfail_keepsIdQuestionAndFlags_dropsRecords() {
    Message refused = reply(Rcode.REFUSED);
    refused.addRecord(new ARecord(NAME, DClass.IN, 60, new byte[] {(byte) 192, 0, 2, 1}), Section.ANSWER);
    Message m = UpstreamForwarder.asServfail(refused);
    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(m.getHeader().getID()).isEqualTo(refused.getHeader().getID());
    assertThat(m.getQuestion()).isEqualTo(refused.getQuestion());
    assertThat(m.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    Message servfail = reply(Rcode.SERVFAIL);
    assertThat(UpstreamForwarder.asServfail(servfail)).isSameAs(servfail);
  }
}
