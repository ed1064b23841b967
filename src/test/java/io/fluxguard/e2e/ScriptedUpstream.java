package io.fluxguard.e2e;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An upstream DNS server in the test process, on an ephemeral loopback port (UDP and TCP), whose
 * answers are scripted per question name: fixed answers, delays, drops, wrong IDs, wrong
 * questions, TC=1, SERVFAIL, garbage. It records every query it receives.
 */
public final class ScriptedUpstream implements AutoCloseable {
  /** What to send back for one query; null wire means send nothing. */
  public record Reply(byte[] wire, long delayMillis) {}

  /** Produces the reply to a query; {@code tcp} tells the transport it arrived on. */
  @FunctionalInterface
  public interface Script {
    Reply reply(Message query, boolean tcp);
  }

  /** One query as received. */
  public record Received(Message query, boolean tcp) {
    public String name() {
      return query.getQuestion().getName().toString();
    }
  }

  private DatagramSocket udp;
  private ServerSocket tcp;
  private final Map<Name, Script> scripts = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor();
  private volatile Script fallback = answer(ScriptedUpstream::defaultAnswer);
  private volatile boolean dead;

  public ScriptedUpstream() throws IOException {
    this(0);
  }

  /** Binds UDP and TCP on 127.0.0.1 at {@code port} (0 for an ephemeral one). */
  public ScriptedUpstream(int port) throws IOException {
    // An ephemeral UDP port may be taken on the TCP side (by a client connection's local port):
    // then try another, as the server under test does.
    int tries = port == 0 ? 20 : 1;
    for (int attempt = 1; ; attempt++) {
      DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      ServerSocket t = new ServerSocket();
      try {
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), u.getLocalPort()));
        udp = u;
        tcp = t;
        break;
      } catch (IOException e) {
        u.close();
        t.close();
        if (!(e instanceof java.net.BindException) || attempt >= tries) {
          throw e;
        }
      }
    }
    Thread u = new Thread(this::serveUdp, "scripted-upstream-udp");
    u.setDaemon(true);
    u.start();
    Thread t = new Thread(this::serveTcp, "scripted-upstream-tcp");
    t.setDaemon(true);
    t.start();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
  }

  public String hostPort() {
    return "127.0.0.1:" + udp.getLocalPort();
  }

  public ScriptedUpstream on(String name, Script script) {
    scripts.put(Names.of(name), script);
    return this;
  }

  public ScriptedUpstream otherwise(Script script) {
    fallback = script;
    return this;
  }

  /** While dead, every query is received (and recorded) but never answered. */
  public void setDead(boolean dead) {
    this.dead = dead;
  }

  public List<Received> received() {
    return received;
  }

  public long count(String name) {
    Name n = Names.of(name);
    return received.stream().filter(r -> r.query().getQuestion().getName().equals(n)).count();
  }

  // ---- scripts ----

  public static Script answer(java.util.function.Function<Message, Message> build) {
    return (q, tcp) -> new Reply(build.apply(q).toWire(), 0);
  }

  public static Script delayed(long millis, Script inner) {
    return (q, tcp) -> {
      Reply r = inner.reply(q, tcp);
      return r == null ? null : new Reply(r.wire(), millis);
    };
  }

  public static Script drop() {
    return (q, tcp) -> null;
  }

  public static Script rcode(int rcode) {
    return answer(q -> reply(q, rcode));
  }

  /** A correct answer, but with the transaction ID off by one. */
  public static Script wrongId() {
    return (q, tcp) -> {
      Message m = defaultAnswer(q);
      m.getHeader().setID((q.getHeader().getID() + 1) & 0xFFFF);
      return new Reply(m.toWire(), 0);
    };
  }

  /** An answer with the right ID for a different question name. */
  public static Script wrongQuestion() {
    return (q, tcp) -> {
      Message m = new Message(q.getHeader().getID());
      m.getHeader().setFlag(Flags.QR);
      Record other = Record.newRecord(Names.of("other.test."), q.getQuestion().getType(), DClass.IN);
      m.addRecord(other, Section.QUESTION);
      m.addRecord(new ARecord(other.getName(), DClass.IN, 300, Names.ip("192.0.2.66")), Section.ANSWER);
      return new Reply(m.toWire(), 0);
    };
  }

  /** Over UDP, an empty answer with TC=1; over TCP, {@code full}. */
  public static Script truncatedOverUdp(Script full) {
    return (q, tcp) -> {
      if (tcp) {
        return full.reply(q, true);
      }
      Message m = reply(q, Rcode.NOERROR);
      m.getHeader().setFlag(Flags.TC);
      return new Reply(m.toWire(), 0);
    };
  }

  /** An empty answer with TC=1 over UDP and over TCP alike: a broken upstream. */
  public static Script truncatedAlways() {
    return (q, tcp) -> {
      Message m = reply(q, Rcode.NOERROR);
      m.getHeader().setFlag(Flags.TC);
      return new Reply(m.toWire(), 0);
    };
  }

  public static Script garbage() {
    return (q, tcp) -> {
      byte[] junk = new byte[40];
      new java.util.Random(q.getHeader().getID()).nextBytes(junk);
      return new Reply(junk, 0);
    };
  }

  /** A reply skeleton: the query's ID, RD, the question, QR and RA set. */
  public static Message reply(Message q, int rcode) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    if (q.getHeader().getFlag(Flags.RD)) {
      m.getHeader().setFlag(Flags.RD);
    }
    m.getHeader().setRcode(rcode);
    m.addRecord(q.getQuestion(), Section.QUESTION);
    if (q.getOPT() != null) {
      m.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, q.getOPT().getFlags()), Section.ADDITIONAL);
    }
    return m;
  }

  /** One A record, 192.0.2.1, TTL 300. */
  public static Message defaultAnswer(Message q) {
    Message m = reply(q, Rcode.NOERROR);
    m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, Names.ip("192.0.2.1")), Section.ANSWER);
    return m;
  }

  // ---- serving ----

  private Reply replyTo(Message query, boolean overTcp) {
    received.add(new Received(query, overTcp));
    if (dead) {
      return null;
    }
    Script s = scripts.getOrDefault(query.getQuestion().getName(), fallback);
    return s.reply(query, overTcp);
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        Reply r = replyTo(query, false);
        if (r == null || r.wire() == null) {
          continue;
        }
        byte[] wire = fitUdp(query, r.wire());
        DatagramPacket out = new DatagramPacket(wire, wire.length, p.getSocketAddress());
        later(r.delayMillis(), () -> udp.send(out));
      } catch (SocketException e) {
        return;
      } catch (IOException e) {
        // a query that does not parse: ignore, as a real server would answer FORMERR or drop
      }
    }
  }

  /** Like a real server: an answer larger than the client's UDP size goes out as TC=1. */
  private static byte[] fitUdp(Message query, byte[] wire) {
    int limit = query.getOPT() != null ? Math.max(512, query.getOPT().getPayloadSize()) : 512;
    if (wire.length <= limit) {
      return wire;
    }
    Message m = reply(query, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.TC);
    return m.toWire();
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try {
        Socket s = tcp.accept();
        Thread t = new Thread(() -> serveConnection(s), "scripted-upstream-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serveConnection(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (true) {
        int len = in.readUnsignedShort();
        byte[] wire = new byte[len];
        in.readFully(wire);
        Reply r = replyTo(new Message(wire), true);
        if (r == null || r.wire() == null) {
          continue;
        }
        later(
            r.delayMillis(),
            () -> {
              synchronized (out) {
                out.writeShort(r.wire().length);
                out.write(r.wire());
                out.flush();
              }
            });
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void later(long delayMillis, IoAction action) {
    Runnable task =
        () -> {
          try {
            action.run();
          } catch (IOException e) {
            // the peer went away
          }
        };
    if (delayMillis <= 0) {
      task.run();
    } else {
      delayer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    delayer.shutdownNow();
    udp.close();
    tcp.close();
  }
}
