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
  void atTheCap_theConnectionIdleLongestMakesRoom_theNewOneIsServed() throws Exception {
    TestServer.Options o = options();
    o.tcpMaxConnections = 2;
    start(o);
    try (Socket idle = connect(); Socket used = connect()) {
      DnsClient.writeFrame(used, Names.query("a.test.", Type.A).toWire());
      DnsClient.readFrame(used); // "used" was active after "idle" connected
      try (Socket c = connect()) {
        DnsClient.writeFrame(c, Names.query("c.test.", Type.A).toWire());
        assertThat(new Message(DnsClient.readFrame(c)).getRcode()).isEqualTo(Rcode.NOERROR);
        idle.setSoTimeout(2000);
        assertThat(readOrEof(idle.getInputStream())).isEqualTo(-1); // closed to make room
        DnsClient.writeFrame(used, Names.query("b.test.", Type.A).toWire());
        assertThat(new Message(DnsClient.readFrame(used)).getRcode()).isEqualTo(Rcode.NOERROR);
      }
    }
    assertThat(server.counter("fluxguard.tcp.connections.refused")).isZero();
  }

  @Test
  void atTheCap_everyConnectionBusy_theNewOneIsRefused() throws Exception {
    TestServer.Options o = options();
    o.tcpMaxConnections = 2;
    start(o);
    try (Socket a = connect(); Socket b = connect()) {
      DnsClient.writeFrame(a, Names.query("slow1.test.", Type.A).toWire()); // 500 ms upstream: in flight
      DnsClient.writeFrame(b, Names.query("slow2.test.", Type.A).toWire());
      while (upstream.count("slow1.test.") == 0 || upstream.count("slow2.test.") == 0) {
        Thread.sleep(5);
      }
      try (Socket c = connect()) {
        c.setSoTimeout(2000);
        assertThat(readOrEof(c.getInputStream())).isEqualTo(-1);
      }
      assertThat(new Message(DnsClient.readFrame(a)).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(new Message(DnsClient.readFrame(b)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(server.counter("fluxguard.tcp.connections.refused")).isEqualTo(1);
  }

  @Test
  void tenThousandIdleConnections_capped_oldestClosed_serverKeepsAnswering() throws Exception {
    // As many as the file-descriptor limit allows, up to 10,000 (each costs a descriptor on both
    // ends); the cap well below that, so connecting them all has to close old ones.
    long limit = openFileLimit();
    int cap = (int) Math.min(1024, (limit - 500) / 3);
    int count = (int) Math.min(10_000, limit - 2L * cap - 300);
    assertThat(count).as("descriptors for the test (ulimit -n %d)", limit).isGreaterThan(cap);
    TestServer.Options o = options();
    o.tcpMaxConnections = cap;
    start(o);
    java.util.List<Socket> idle = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Socket s = connect(); // never sends a byte (or a slow-loris that never finishes a frame)
        s.setSoLinger(true, 0); // closed with a reset: no TIME_WAIT holding thousands of local ports
        idle.add(s);
      }
      try (Socket fresh = connect()) {
        DnsClient.writeFrame(fresh, Names.query("fresh.test.", Type.A).toWire());
        assertThat(new Message(DnsClient.readFrame(fresh)).getRcode()).isEqualTo(Rcode.NOERROR);
      }
      assertThat(DnsClient.udp(server.address, Names.query("udp.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
      Socket first = idle.get(0);
      first.setSoTimeout(2000);
      assertThat(readOrEof(first.getInputStream())).as("the oldest idle connection was closed").isEqualTo(-1);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  private static long openFileLimit() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? 1 << 20 : Long.parseLong(soft);
      }
    }
    return 1024;
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

  @Test
  void halfClosedClient_stillGetsItsAnswers() throws Exception {
    start(options());
    try (Socket s = connect()) {
      Message cached = Names.query("half.test.", Type.A);
      DnsClient.writeFrame(s, cached.toWire());
      Message slow = Names.query("slow.test.", Type.A);
      DnsClient.writeFrame(s, slow.toWire());
      s.shutdownOutput();
      List<Integer> ids = List.of(new Message(DnsClient.readFrame(s)).getHeader().getID(), new Message(DnsClient.readFrame(s)).getHeader().getID());
      assertThat(ids).containsExactlyInAnyOrder(cached.getHeader().getID(), slow.getHeader().getID());
      assertThat(s.getInputStream().read()).as("closed once answered").isEqualTo(-1);
    }
  }

  @Test
  void clientNotReadingItsAnswers_readingPausesUntilItCatchesUp() throws Exception {
    upstream = new ScriptedUpstream();
    upstream.on("big.test.", ScriptedUpstream.answer(q -> {
      Message m = ScriptedUpstream.reply(q, Rcode.NOERROR);
      for (int i = 1; i <= 40; i++) {
        m.addRecord(new org.xbill.DNS.AAAARecord(q.getQuestion().getName(), org.xbill.DNS.DClass.IN, 3600, Names.ip("2001:db8::" + i)), org.xbill.DNS.Section.ANSWER);
      }
      return m;
    }));
    start(new TestServer.Options(upstream.address()));
    int total = 30_000;
    byte[] one = Names.query("big.test.", Type.AAAA).toWire(); // about 1.2 kB per answer
    try (Socket s = connect()) {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < total; i++) {
        all.write(one.length >> 8);
        all.write(one.length);
        all.write(one);
      }
      Thread writer = new Thread(() -> {
        try {
          s.getOutputStream().write(all.toByteArray());
        } catch (IOException e) {
          // the test closes the socket at the end
        }
      });
      writer.start();
      Thread.sleep(1500);
      double answeredWhileNotReading = server.counter("fluxguard.queries");
      // Without backpressure the server would read all 30,000 queries and hold every answer;
      // with it, answering stops once the socket buffers and 64 KiB of backlog are full.
      assertThat(answeredWhileNotReading).as("answers produced while the client read none").isLessThan(total / 2);
      for (int i = 0; i < total; i++) {
        DnsClient.readFrame(s);
      }
      writer.join(5000);
      assertThat(server.counter("fluxguard.queries")).isEqualTo(total);
    }
  }

  @Test
  void shutdownWithAQueryInFlight_itsAnswerStillArrivesThenTheConnectionCloses() throws Exception {
    start(options());
    try (Socket s = connect()) {
      Message slow = Names.query("slow.test.", Type.A);
      DnsClient.writeFrame(s, slow.toWire());
      while (upstream.count("slow.test.") == 0) {
        Thread.sleep(10);
      }
      TestServer draining = server;
      server = null;
      Thread stopper = new Thread(() -> {
        try {
          draining.close();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      stopper.start();
      Thread.sleep(100);
      DnsClient.writeFrame(s, Names.query("late.test.", Type.A).toWire()); // ignored while draining
      assertThat(new Message(DnsClient.readFrame(s)).getHeader().getID()).isEqualTo(slow.getHeader().getID());
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      stopper.join(5000);
      assertThat(upstream.count("late.test.")).isZero();
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
