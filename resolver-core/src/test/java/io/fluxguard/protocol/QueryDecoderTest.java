package io.fluxguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryDecoderTest {
  private final QueryDecoder decoder = new QueryDecoder(new ResponseEncoder(1232));

  @Test
  void decode_fewerThan12Bytes_dropsAsShort() {
    assertThat(decoder.decode(new byte[11]))
        .isEqualTo(new DecodeResult.Drop(DecodeResult.DropReason.SHORT));
  }

  @Test
  void decode_responseBitSet_dropsAsResponse() {
    Message m = Queries.message("example.com.", Type.A);
    m.getHeader().setFlag(Flags.QR);
    assertThat(decoder.decode(m.toWire()))
        .isEqualTo(new DecodeResult.Drop(DecodeResult.DropReason.RESPONSE));
  }

  @Test
  void decode_notifyOpcode_answersNotImpWithSameId() {
    Message m = Queries.message("example.com.", Type.SOA);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    Message answer = rejected(m.toWire(), DecodeResult.RejectReason.OPCODE);
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(answer.getHeader().getID()).isEqualTo(m.getHeader().getID());
    assertThat(answer.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
  }

  @Test
  void decode_notifyWithEdns_notImpCarriesOpt() {
    Message m = Queries.withEdns(Queries.message("example.com.", Type.SOA), 1232, true);
    m.getHeader().setOpcode(Opcode.NOTIFY);
    Message answer = rejected(m.toWire(), DecodeResult.RejectReason.OPCODE);
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(answer.getOPT()).isNotNull();
    assertThat(answer.getOPT().getFlags() & 0x8000).isNotZero();
  }

  @Test
  void decode_twoQuestionsWithEdns_formErrCarriesOpt() {
    Message m = Queries.withEdns(Queries.message("example.com.", Type.A), 1232, false);
    m.addRecord(org.xbill.DNS.Record.newRecord(Queries.message("b.example.", Type.A).getQuestion().getName(), Type.A, 1), Section.QUESTION);
    Message answer = rejected(m.toWire(), DecodeResult.RejectReason.QDCOUNT);
    assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(answer.getOPT()).isNotNull();
  }

  @Test
  void decode_twoQuestions_answersFormErr() {
    byte[] wire = Queries.message("example.com.", Type.A).toWire();
    wire[5] = 2;
    assertThat(rejected(wire, DecodeResult.RejectReason.QDCOUNT).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void decode_noQuestion_answersFormErr() {
    byte[] wire = Arrays.copyOf(Queries.message("example.com.", Type.A).toWire(), 12);
    wire[5] = 0;
    assertThat(rejected(wire, DecodeResult.RejectReason.QDCOUNT).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void decode_truncatedQuestion_answersFormErrWithSameId() {
    Message m = Queries.message("example.com.", Type.A);
    byte[] wire = Arrays.copyOf(m.toWire(), 20);
    Message answer = rejected(wire, DecodeResult.RejectReason.MALFORMED);
    assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(answer.getHeader().getID()).isEqualTo(m.getHeader().getID());
  }

  @Test
  void decode_recordCountsBeyondPacket_answersFormErr() {
    byte[] wire = Queries.message("example.com.", Type.A).toWire();
    wire[7] = 5; // ANCOUNT 5, no records follow
    assertThat(rejected(wire, DecodeResult.RejectReason.HEADER).getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void decode_twoOptRecords_answersFormErr() {
    Message m = Queries.withEdns(Queries.message("example.com.", Type.A), 1232, false);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertThat(rejected(m.toWire(), DecodeResult.RejectReason.HEADER).getRcode())
        .isEqualTo(Rcode.FORMERR);
  }

  @Test
  void decode_ednsVersion1_answersBadVers() {
    Message m = Queries.message("example.com.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message answer = rejected(m.toWire(), DecodeResult.RejectReason.EDNS_VERSION);
    assertThat(answer.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(answer.getOPT().getVersion()).isZero();
    assertThat(answer.getQuestion().getName().toString()).isEqualTo("example.com.");
  }

  @Test
  void decode_axfr_answersRefused() {
    Message m = Queries.message("example.com.", Type.AXFR);
    assertThat(rejected(m.toWire(), DecodeResult.RejectReason.QTYPE).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void decode_mixedCaseQuestion_keepsCaseAndEdnsParameters() {
    Message m = Queries.withEdns(Queries.message("WwW.ExAmPlE.CoM.", Type.AAAA), 4096, true);
    ClientQuery q = Queries.decode(m);
    assertThat(q.name().toString()).isEqualTo("WwW.ExAmPlE.CoM.");
    assertThat(q.type()).isEqualTo(Type.AAAA);
    assertThat(q.id()).isEqualTo(m.getHeader().getID());
    assertThat(q.edns()).isTrue();
    assertThat(q.udpPayloadSize()).isEqualTo(4096);
    assertThat(q.dnssecOk()).isTrue();
    assertThat(q.recursionDesired()).isTrue();
  }

  @Test
  void decode_payloadBelow512_treatedAs512() {
    ClientQuery q = Queries.decode(Queries.withEdns(Queries.message("a.example.", Type.A), 100, false));
    assertThat(q.udpPayloadSize()).isEqualTo(512);
  }

  @Test
  void decode_noEdns_limitIs512() {
    ClientQuery q = Queries.decode(Queries.message("a.example.", Type.A));
    assertThat(q.edns()).isFalse();
    assertThat(q.udpPayloadSize()).isEqualTo(512);
  }

  @Test
  void decode_unknownType_isAnOrdinaryQuery() {
    ClientQuery q = Queries.decode(Queries.message("a.example.", 65280));
    assertThat(q.type()).isEqualTo(65280);
  }

  private Message rejected(byte[] wire, DecodeResult.RejectReason reason) {
    DecodeResult r = decoder.decode(wire);
    assertThat(r).isInstanceOf(DecodeResult.Reject.class);
    DecodeResult.Reject reject = (DecodeResult.Reject) r;
    assertThat(reject.reason()).isEqualTo(reason);
    Message answer = Queries.parse(reject.answer());
    assertThat(answer.getHeader().getFlag(Flags.QR)).isTrue();
    return answer;
  }
}
