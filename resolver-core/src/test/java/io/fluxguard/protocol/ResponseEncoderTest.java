package io.fluxguard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseEncoderTest {
  private final ResponseEncoder encoder = new ResponseEncoder(1232);

  @Test
  void answer_stampsClientIdAndQuestionCase() {
    Message upstream = Answers.a(Queries.message("www.example.com.", Type.A), 2, 300);
    ClientQuery q = Queries.decode(Queries.message("WWW.Example.COM.", Type.A));
    Message out = Queries.parse(encoder.answer(q, template(upstream), 0, TtlClamp.NONE, 512));
    assertThat(out.getHeader().getID()).isEqualTo(q.id());
    assertThat(out.getQuestion().getName().toString()).isEqualTo("WWW.Example.COM.");
    assertThat(out.getSection(Section.ANSWER)).hasSize(2);
    assertThat(out.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(out.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(out.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(out.getHeader().getFlag(Flags.AA)).isFalse();
  }

  @Test
  void answer_ageSubtractedFromEveryTtl() {
    Message upstream = Answers.a(Queries.message("a.example.", Type.A), 3, 300);
    ClientQuery q = Queries.decode(Queries.message("a.example.", Type.A));
    Message out = Queries.parse(encoder.answer(q, template(upstream), 120, TtlClamp.NONE, 512));
    assertThat(out.getSection(Section.ANSWER)).extracting(Record::getTTL).containsOnly(180L);
  }

  @Test
  void answer_olderThanTtl_servesZeroNotNegative() {
    Message upstream = Answers.a(Queries.message("a.example.", Type.A), 1, 30);
    ClientQuery q = Queries.decode(Queries.message("a.example.", Type.A));
    Message out = Queries.parse(encoder.answer(q, template(upstream), 31, TtlClamp.NONE, 512));
    assertThat(out.getSection(Section.ANSWER).get(0).getTTL()).isZero();
  }

  @Test
  void answer_clientWithEdns_getsOptWithOurPayloadAndDoEchoed() {
    Message upstream = Answers.a(Queries.message("a.example.", Type.A), 1, 30);
    ClientQuery q = Queries.decode(Queries.withEdns(Queries.message("a.example.", Type.A), 4096, true));
    Message out = Queries.parse(encoder.answer(q, template(upstream), 0, TtlClamp.NONE, encoder.udpLimit(q)));
    assertThat(out.getOPT()).isNotNull();
    assertThat(out.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(out.getOPT().getFlags() & 0x8000).isNotZero();
  }

  @Test
  void answer_clientWithoutEdns_getsNoOpt() {
    Message upstream = Answers.a(Queries.message("a.example.", Type.A), 1, 30);
    ClientQuery q = Queries.decode(Queries.message("a.example.", Type.A));
    Message out = Queries.parse(encoder.answer(q, template(upstream), 0, TtlClamp.NONE, 512));
    assertThat(out.getOPT()).isNull();
  }

  @Test
  void answer_largerThan512WithoutEdns_truncatedWithTcAndNoRecords() {
    Message upstream = Answers.aaaa(Queries.message("big.example.", Type.AAAA), 40, 30);
    ClientQuery q = Queries.decode(Queries.message("big.example.", Type.AAAA));
    byte[] wire = encoder.answer(q, template(upstream), 0, TtlClamp.NONE, encoder.udpLimit(q));
    Message out = Queries.parse(wire);
    assertThat(wire.length).isLessThanOrEqualTo(512);
    assertThat(out.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(out.getSection(Section.ANSWER)).isEmpty();
    assertThat(out.getQuestion().getName().toString()).isEqualTo("big.example.");
  }

  @Test
  void answer_sameAnswerOverTcp_isWhole() {
    Message upstream = Answers.aaaa(Queries.message("big.example.", Type.AAAA), 40, 30);
    ClientQuery q = Queries.decode(Queries.message("big.example.", Type.AAAA));
    Message out =
        Queries.parse(encoder.answer(q, template(upstream), 0, TtlClamp.NONE, ResponseEncoder.TCP_MAX_SIZE));
    assertThat(out.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(out.getSection(Section.ANSWER)).hasSize(40);
  }

  @Test
  void udpLimit_clientOffersMoreThanWeAdvertise_cappedAtOurs() {
    ClientQuery q = Queries.decode(Queries.withEdns(Queries.message("a.example.", Type.A), 4096, false));
    assertThat(encoder.udpLimit(q)).isEqualTo(1232);
  }

  @Test
  void answer_fitsClientEdnsLimit_notTruncated() {
    Message upstream = Answers.aaaa(Queries.message("big.example.", Type.AAAA), 25, 30);
    ClientQuery q = Queries.decode(Queries.withEdns(Queries.message("big.example.", Type.AAAA), 1232, false));
    byte[] wire = encoder.answer(q, template(upstream), 0, TtlClamp.NONE, encoder.udpLimit(q));
    assertThat(wire.length).isGreaterThan(512).isLessThanOrEqualTo(1232);
    assertThat(Queries.parse(wire).getHeader().getFlag(Flags.TC)).isFalse();
  }

  @Test
  void answer_adFromUpstream_onlyForClientsAskingForDnssec() {
    Message upstream = Answers.a(Queries.message("a.example.", Type.A), 1, 30);
    upstream.getHeader().setFlag(Flags.AD);
    ClientQuery plain = Queries.decode(Queries.message("a.example.", Type.A));
    ClientQuery withDo = Queries.decode(Queries.withEdns(Queries.message("a.example.", Type.A), 1232, true));
    assertThat(Queries.parse(encoder.answer(plain, template(upstream), 0, TtlClamp.NONE, 512)).getHeader().getFlag(Flags.AD))
        .isFalse();
    assertThat(Queries.parse(encoder.answer(withDo, template(upstream), 0, TtlClamp.NONE, 1232)).getHeader().getFlag(Flags.AD))
        .isTrue();
  }

  @Test
  void error_servfail_keepsQuestionAndId() {
    ClientQuery q = Queries.decode(Queries.withEdns(Queries.message("MiXeD.example.", Type.MX), 1232, false));
    Message out = Queries.parse(encoder.error(q, Rcode.SERVFAIL));
    assertThat(out.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(out.getHeader().getID()).isEqualTo(q.id());
    assertThat(out.getQuestion().getName().toString()).isEqualTo("MiXeD.example.");
    assertThat(out.getOPT()).isNotNull();
  }

  @Test
  void template_keepsUnknownRecordTypesByteForByte() throws Exception {
    Message query = Queries.message("odd.example.", 65280);
    Message upstream = Answers.reply(query, Rcode.NOERROR);
    byte[] rdata = {1, 2, 3, 4, 5, (byte) 0xFF};
    upstream.addRecord(Record.newRecord(Answers.name("odd.example."), 65280, 1, 60, rdata), Section.ANSWER);
    ClientQuery q = Queries.decode(query);
    Message out = Queries.parse(encoder.answer(q, template(upstream), 0, TtlClamp.NONE, 512));
    List<Record> answers = out.getSection(Section.ANSWER);
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).getType()).isEqualTo(65280);
    assertThat(answers.get(0).rdataToWireCanonical()).isEqualTo(rdata);
  }

  private static ResponseTemplate template(Message upstream) {
    var question = upstream.getQuestion();
    return ResponseTemplate.of(upstream, question.getName(), question.getType(), question.getDClass());
  }
}
