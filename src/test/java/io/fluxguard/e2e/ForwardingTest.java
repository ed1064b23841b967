package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Answers travel from the upstream to the client intact, over UDP and TCP, and are cached. */
class ForwardingTest {
  private ScriptedUpstream upstream;
  private TestServer server;
  private final ManualTicker ticker = new ManualTicker();

  @BeforeEach
  void start() throws Exception {
    upstream = new ScriptedUpstream();
    upstream.on(
        "mail.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
              m.addRecord(new MXRecord(q.getQuestion().getName(), DClass.IN, 600, 10, Names.of("mx1.test.")), Section.ANSWER);
              m.addRecord(new MXRecord(q.getQuestion().getName(), DClass.IN, 600, 20, Names.of("mx2.test.")), Section.ANSWER);
              return m;
            }));
    upstream.on("big.test.", ScriptedUpstream.answer(q -> bigAnswer(q, 60)));
    upstream.on("medium.test.", ScriptedUpstream.answer(q -> bigAnswer(q, 30)));
    upstream.on(
        "www.alias.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
              m.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300, Names.of("edge.cdn.test.")), Section.ANSWER);
              m.addRecord(new org.xbill.DNS.ARecord(Names.of("edge.cdn.test."), DClass.IN, 20, Names.ip("192.0.2.20")), Section.ANSWER);
              return m;
            }));
    upstream.on(
        "nx.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NXDOMAIN);
              m.addRecord(
                  new SOARecord(Names.of("test."), DClass.IN, 900, Names.of("ns.test."), Names.of("host.test."), 1, 3600, 600, 86400, 60),
                  Section.AUTHORITY);
              return m;
            }));
    upstream.on(
        "odd.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
              m.addRecord(Record.newRecord(q.getQuestion().getName(), 65280, DClass.IN, 60, new byte[] {9, 8, 7}), Section.ANSWER);
              return m;
            }));
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.ticker = ticker;
    server = new TestServer(o);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.close();
  }

  private static Message bigAnswer(Message q, int count) {
    Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
    for (int i = 1; i <= count; i++) {
      m.addRecord(new AAAARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("2001:db8::" + Integer.toHexString(i))), Section.ANSWER);
    }
    return m;
  }

  @Test
  void udpQuery_returnsUpstreamAnswerWithClientIdAndCase() throws Exception {
    Message query = Names.query("MaIl.TeSt.", Type.MX);
    Message answer = DnsClient.udp(server.address, query);
    assertThat(answer.getHeader().getID()).isEqualTo(query.getHeader().getID());
    assertThat(answer.getQuestion().getName().toString()).isEqualTo("MaIl.TeSt.");
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    // Names compress against the question, so they take the client's letter case; DNS names
    // compare without case (RFC 4343).
    assertThat(answer.getSection(Section.ANSWER)).extracting(r -> ((MXRecord) r).getTarget())
        .containsExactly(Names.of("mx1.test."), Names.of("mx2.test."));
  }

  @Test
  void tcpQuery_returnsUpstreamAnswer() throws Exception {
    Message answer = DnsClient.tcp(server.address, Names.query("mail.test.", Type.MX));
    assertThat(answer.getSection(Section.ANSWER)).hasSize(2);
  }

  @Test
  void cnameChain_passesThroughWhole() throws Exception {
    Message answer = DnsClient.udp(server.address, Names.query("www.alias.test.", Type.A));
    assertThat(answer.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
  }

  @Test
  void nxdomain_passesThroughWithSoa() throws Exception {
    Message answer = DnsClient.udp(server.address, Names.query("nx.test.", Type.A));
    assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
  }

  @Test
  void unknownRecordType_passesThroughUntouched() throws Exception {
    Message answer = DnsClient.udp(server.address, Names.query("odd.test.", 65280));
    Record r = answer.getSection(Section.ANSWER).get(0);
    assertThat(r.getType()).isEqualTo(65280);
    assertThat(r.rdataToWireCanonical()).containsExactly(9, 8, 7);
  }

  @Test
  void bigAnswerOverUdpWithoutEdns_truncatedWithTc() throws Exception {
    Message answer = DnsClient.udp(server.address, Names.query("big.test.", Type.AAAA));
    assertThat(answer.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void bigAnswerOverTcp_whole() throws Exception {
    Message answer = DnsClient.tcp(server.address, Names.query("big.test.", Type.AAAA));
    assertThat(answer.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(answer.getSection(Section.ANSWER)).hasSize(60);
  }

  @Test
  void answerAbove512WithinClientEdnsSize_notTruncated() throws Exception {
    Message query = Names.query("medium.test.", Type.AAAA);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    Message answer = DnsClient.udp(server.address, query);
    assertThat(answer.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(answer.getSection(Section.ANSWER)).hasSize(30);
    assertThat(answer.getOPT().getPayloadSize()).isEqualTo(1232);
  }

  @Test
  void ednsClientAskingFor4096_getsTcAboveOurAdvertised1232() throws Exception {
    Message query = Names.query("big.test.", Type.AAAA); // 60 AAAA: about 1.7 kB
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message answer = DnsClient.udp(server.address, query);
    assertThat(answer.getHeader().getFlag(Flags.TC)).isTrue();
  }

  @Test
  void doAndCdBits_reachTheUpstream() throws Exception {
    Message query = Names.query("secure.test.", Type.A);
    query.getHeader().setFlag(Flags.CD);
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message answer = DnsClient.udp(server.address, query);
    Message seen = upstream.received().get(upstream.received().size() - 1).query();
    assertThat(seen.getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(seen.getHeader().getFlag(Flags.AD)).as("AD asked for upstream (RFC 6840 §5.8)").isTrue();
    assertThat(seen.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
    assertThat(answer.getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(answer.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
  }

  @Test
  void upstreamQuery_hasFreshIdNotTheClients() throws Exception {
    Message query = Names.query("id.test.", Type.A);
    DnsClient.udp(server.address, query);
    assertThat(upstream.received()).hasSize(1);
    // A coincidence of 1 in 65536 would fail this; the ID is drawn from SecureRandom.
    assertThat(upstream.received().get(0).query().getHeader().getID()).isNotEqualTo(query.getHeader().getID());
  }

  @Test
  void secondQuery_servedFromCacheWithTtlCountedDown() throws Exception {
    DnsClient.udp(server.address, Names.query("cached.test.", Type.A));
    ticker.advance(Duration.ofSeconds(100));
    Message second = DnsClient.udp(server.address, Names.query("CACHED.test.", Type.A));
    assertThat(upstream.count("cached.test.")).isEqualTo(1);
    assertThat(second.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(200);
    assertThat(second.getQuestion().getName().toString()).isEqualTo("CACHED.test.");
  }

  @Test
  void cachedAnswer_expiresAfterItsTtl() throws Exception {
    DnsClient.udp(server.address, Names.query("expiring.test.", Type.A));
    ticker.advance(Duration.ofSeconds(301));
    DnsClient.udp(server.address, Names.query("expiring.test.", Type.A));
    assertThat(upstream.count("expiring.test.")).isEqualTo(2);
  }

  @Test
  void cnameChain_cachedForItsShortestTtl() throws Exception {
    DnsClient.udp(server.address, Names.query("www.alias.test.", Type.A));
    ticker.advance(Duration.ofSeconds(21)); // the A record's TTL is 20
    DnsClient.udp(server.address, Names.query("www.alias.test.", Type.A));
    assertThat(upstream.count("www.alias.test.")).isEqualTo(2);
  }

  @Test
  void nxdomain_cachedForSoaMinimum() throws Exception {
    DnsClient.udp(server.address, Names.query("nx.test.", Type.A));
    ticker.advance(Duration.ofSeconds(59));
    DnsClient.udp(server.address, Names.query("nx.test.", Type.A));
    assertThat(upstream.count("nx.test.")).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(2));
    DnsClient.udp(server.address, Names.query("nx.test.", Type.A));
    assertThat(upstream.count("nx.test.")).isEqualTo(2);
  }

  @Test
  void sameQuestionOverUdpAndTcp_sharesCacheEntry() throws Exception {
    DnsClient.udp(server.address, Names.query("shared.test.", Type.A));
    Message answer = DnsClient.tcp(server.address, Names.query("shared.test.", Type.A));
    assertThat(answer.getSection(Section.ANSWER)).hasSize(1);
    assertThat(upstream.count("shared.test.")).isEqualTo(1);
  }

  @Test
  void answers_countedByOutcome() throws Exception {
    DnsClient.udp(server.address, Names.query("counted.test.", Type.A));
    DnsClient.udp(server.address, Names.query("counted.test.", Type.A));
    assertThat(server.counter("fluxguard.queries", "outcome", "upstream")).isEqualTo(1);
    assertThat(server.counter("fluxguard.queries", "outcome", "cache-hit")).isEqualTo(1);
  }

  @Test
  void upstreamsQueriedOnlyOnceForManyDifferentCasings() throws Exception {
    for (String n : List.of("case.test.", "CASE.test.", "Case.Test.")) {
      DnsClient.udp(server.address, Names.query(n, Type.A));
    }
    assertThat(upstream.count("case.test.")).isEqualTo(1);
  }
}
