package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/** The real dig (Debian bind9-dnsutils) as the client, over UDP and TCP. */
class DigTest {
  private static ScriptedUpstream upstream;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream();
    upstream.on(
        "www.example.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
              m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.10")), Section.ANSWER);
              m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.11")), Section.ANSWER);
              return m;
            }));
    upstream.on(
        "big.example.test.",
        ScriptedUpstream.answer(
            q -> {
              Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
              for (int i = 1; i <= 60; i++) {
                m.addRecord(new AAAARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("2001:db8::" + Integer.toHexString(i))), Section.ANSWER);
              }
              return m;
            }));
    upstream.on("gone.example.test.", ScriptedUpstream.rcode(Rcode.NXDOMAIN));
    server = new TestServer(new TestServer.Options(upstream.address()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    upstream.close();
  }

  private static ExternalCommand.Result dig(String... args) throws Exception {
    return ExternalCommand.run(20, ExternalCommand.dig(server, args).toArray(String[]::new));
  }

  @Test
  void digOverUdp_getsTheUpstreamAddresses() throws Exception {
    ExternalCommand.Result r = dig("+short", "-t", "A", "www.example.test");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout().lines()).containsExactly("192.0.2.10", "192.0.2.11");
  }

  @Test
  void digOverTcp_getsTheUpstreamAddresses() throws Exception {
    ExternalCommand.Result r = dig("+tcp", "+short", "-t", "A", "www.example.test");
    assertThat(r.stdout().lines()).containsExactly("192.0.2.10", "192.0.2.11");
  }

  @Test
  void digWithoutEdns_bigAnswerTruncatedOverUdp() throws Exception {
    ExternalCommand.Result r = dig("+noedns", "+ignore", "-t", "AAAA", "big.example.test");
    assertThat(r.stdout()).containsPattern("flags: qr [^;]*tc");
    assertThat(r.stdout()).contains("ANSWER: 0");
  }

  @Test
  void digOverTcp_bigAnswerWhole() throws Exception {
    ExternalCommand.Result r = dig("+tcp", "+short", "-t", "AAAA", "big.example.test");
    assertThat(r.stdout().lines()).hasSize(60);
  }

  @Test
  void digDefault_retriesTruncatedAnswerOverTcpAndGetsItAll() throws Exception {
    ExternalCommand.Result r = dig("+noedns", "+short", "-t", "AAAA", "big.example.test");
    assertThat(r.stdout().lines()).hasSize(60);
  }

  @Test
  void digWithEdns_answerCarriesOpt1232() throws Exception {
    ExternalCommand.Result r = dig("+edns=0", "-t", "A", "www.example.test");
    assertThat(r.stdout()).contains("EDNS: version: 0").contains("udp: 1232").contains("status: NOERROR");
  }

  @Test
  void digNxdomain_statusPassedThrough() throws Exception {
    ExternalCommand.Result r = dig("-t", "A", "gone.example.test");
    assertThat(r.stdout()).contains("status: NXDOMAIN");
  }

  @Test
  void digEdnsVersion1_badvers() throws Exception {
    ExternalCommand.Result r = dig("+edns=1", "+noednsnegotiation", "-t", "A", "www.example.test");
    assertThat(r.stdout()).contains("status: BADVERS");
  }

  @Test
  void digMixedCase_questionEchoedAsSent() throws Exception {
    ExternalCommand.Result r = dig("-t", "A", "WwW.ExAmPlE.TeSt");
    assertThat(r.stdout()).contains(";WwW.ExAmPlE.TeSt.");
  }
}
