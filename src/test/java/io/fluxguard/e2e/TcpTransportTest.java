package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** DNS over TCP per RFC 7766: framing, pipelining, idle timeout, connection cap. */
class TcpTransportTest {
  private ScriptedUpstream upstream;
  private TestServer server;

  private void start(TestServer.Options o) throws Exception {
    server = new TestServer(o);
  }

  private TestServer.Options options() throws Exception {
    upstream = new ScriptedUpstream();
    for (String name : List.of("slow.test.", "slow1.test.", "slow2.test.", "slow3.test.")) {
      upstream.on(name, ScriptedUpstream.delayed(500, ScriptedUpstream.answer(ScriptedUpstream::defaultAnswer)));
    }
    TestServer.Options o = new TestServer.Options(upstream.address());
    o.cache = TestServer.noCache();
    return o;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void pipelinedQueries_answeredAsEachCompletes_outOfOrder() throws Exception {
    start(options());
    Message slow = Names.query("slow.test.", Type.A);
    Message fast = Names.query("fast.test.", Type.A);
    try (Socket s = connect()) {
      DnsClient.writeFrame(s, slow.toWire());
      DnsClient.writeFrame(s, fast.toWire());
      Message first = new Message(DnsClient.readFrame(s));
      Message second = new Message(DnsClient.readFrame(s));
      assertThat(first.getHeader().getID()).isEqualTo(fast.getHeader().getID());
      assertThat(second.getHeader().getID()).isEqualTo(slow.getHeader().getID());
    }
  }

  @Test
  void frameSplitAcrossWrites_reassembled() throws Exception {
    start(options());
    Message q = Names.query("split.test.", Type.A);
    byte[] wire = q.toWire();
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0});
      out.flush();
      Thread.sleep(50);
      out.write(new byte[] {(byte) wire.length});
      out.write(wire, 0, 5);
      out.flush();
      Thread.sleep(50);
      out.write(wire, 5, wire.length - 5);
      out.flush();
      assertThat(new Message(DnsClient.readFrame(s)).getHeader().getID()).isEqualTo(q.getHeader().getID());
    }
  }

  @Test
  void severalQueriesInOneWrite_allAnswered() throws Exception {
    start(options());
    java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Message q = Names.query("batch" + i + ".test.", Type.A);
      ids.add(q.getHeader().getID());
      byte[] w = q.toWire();
      batch.write(w.length >> 8);
      batch.write(w.length);
      batch.write(w);
    }
    try (Socket s = connect()) {
      s.getOutputStream().write(batch.toByteArray());
      List<Integer> seen = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        seen.add(new Message(DnsClient.readFrame(s)).getHeader().getID());
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void zeroLengthFrame_droppedAndConnectionStillServes() throws Exception {
    start(options());
    try (Socket s = connect()) {
      s.getOutputStream().write(new byte[] {0, 0});
      Message q = Names.query("after-empty.test.", Type.A);
      DnsClient.writeFrame(s, q.toWire());
      assertThat(new Message(DnsClient.readFrame(s)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(server.counter("fluxguard.packets.dropped", "transport", "tcp", "reason", "short")).isEqualTo(1);
  }

  @Test
  void idleConnection_closedAfterIdleTimeout() throws Exception {
    TestServer.Options o = options();
    o.tcpIdle = Duration.ofMillis(300);
    start(o);
    try (Socket s = connect()) {
      s.setSoTimeout(3000);
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 2500L);
    }
  }

  @Test
  void connectionsBeyondTheCap_closedAtOnce_othersKeepWorking() throws Exception {
    TestServer.Options o = options();
    o.tcpMaxConnections = 2;
    start(o);
    try (Socket a = connect(); Socket b = connect()) {
      DnsClient.writeFrame(a, Names.query("a.test.", Type.A).toWire());
      DnsClient.readFrame(a);
      try (Socket c = connect()) {
        c.setSoTimeout(2000);
        assertThat(readOrEof(c.getInputStream())).isEqualTo(-1);
      }
      DnsClient.writeFrame(b, Names.query("b.test.", Type.A).toWire());
      assertThat(new Message(DnsClient.readFrame(b)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(server.counter("fluxguard.tcp.connections.refused")).isEqualTo(1);
  }

  @Test
  void inflightCapPerConnection_excessWaitsForASlotButIsAnswered() throws Exception {
    TestServer.Options o = options();
    o.tcpMaxInflight = 2;
    start(o);
    try (Socket s = connect()) {
      long start = System.nanoTime();
      for (int i = 1; i <= 3; i++) {
        DnsClient.writeFrame(s, Names.query("slow" + i + ".test.", Type.A).toWire());
      }
      for (int i = 0; i < 3; i++) {
        assertThat(new Message(DnsClient.readFrame(s)).getRcode()).isEqualTo(Rcode.NOERROR);
      }
      // Each upstream answer takes 500 ms; with two slots the third query starts only after
      // one of the first two is answered, so the last answer cannot come before ~1 s.
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(950L);
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(server.address, 2000);
    s.setSoTimeout(5000);
    return s;
  }

  private static int readOrEof(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (java.net.SocketException e) {
      return -1; // connection reset counts as closed
    } catch (SocketTimeoutException e) {
      return -2;
    }
  }
}
