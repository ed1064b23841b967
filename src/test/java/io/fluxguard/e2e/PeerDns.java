package io.fluxguard.e2e;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * DNS software from Debian (NSD, Unbound) started by a test as a child process on a high loopback
 * port, in the foreground, with every file in a private directory; {@link #close} ends it by PID.
 */
final class PeerDns implements AutoCloseable {
  private static final int START_TRIES = 5;
  /** Still running: ended by a shutdown hook if a test run ends without closing them. */
  private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }), "peer-dns-cleanup"));
  }

  final InetSocketAddress address;
  private final Process process;

  private PeerDns(InetSocketAddress address, Process process) {
    this.address = address;
    this.process = process;
  }

  /** NSD serving {@code zone} (text in zone-file format) from {@code dir}. */
  static PeerDns nsd(Path dir, String zone, String zoneText) throws IOException, InterruptedException {
    Files.writeString(dir.resolve(zone + "zone"), zoneText, StandardCharsets.UTF_8);
    return start("nsd", dir, zone, port -> String.join("\n",
        "server:",
        "  ip-address: 127.0.0.1@" + port,
        "  do-ip6: no",
        "  server-count: 1",
        "  username: \"\"",
        "  chroot: \"\"",
        "  zonesdir: \"" + dir + "\"",
        "  database: \"\"",
        "  zonelistfile: \"" + dir.resolve("zone.list") + "\"",
        "  xfrdfile: \"" + dir.resolve("xfrd.state") + "\"",
        "  xfrdir: \"" + dir + "\"",
        "  pidfile: \"" + dir.resolve("nsd.pid") + "\"",
        "  logfile: \"" + dir.resolve("nsd.log") + "\"",
        // every query comes from 127.0.0.1: response rate limiting would drop some
        "  rrl-ratelimit: 0",
        "  rrl-whitelist-ratelimit: 0",
        "remote-control:",
        "  control-enable: no",
        "zone:",
        "  name: \"" + zone + "\"",
        "  zonefile: \"" + dir.resolve(zone + "zone") + "\"",
        ""), "-d", "-c");
  }

  /** Unbound as a caching forwarder of everything to {@code upstream}, no DNSSEC validation. */
  static PeerDns unbound(Path dir, String zone, InetSocketAddress upstream) throws IOException, InterruptedException {
    return start("unbound", dir, zone, port -> String.join("\n",
        "server:",
        "  interface: 127.0.0.1",
        "  port: " + port,
        "  do-ip6: no",
        "  num-threads: 1",
        "  username: \"\"",
        "  chroot: \"\"",
        "  directory: \"" + dir + "\"",
        "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
        "  use-syslog: no",
        "  logfile: \"\"",
        "  do-daemonize: no",
        "  access-control: 127.0.0.0/8 allow",
        "  do-not-query-localhost: no",
        "  module-config: \"iterator\"",
        // test. is one of Unbound's built-in empty local zones (RFC 6761): send it upstream instead
        "  local-zone: \"test.\" nodefault",
        "  qname-minimisation: no",
        "  prefetch: no",
        "remote-control:",
        "  control-enable: no",
        "forward-zone:",
        "  name: \".\"",
        "  forward-addr: " + upstream.getAddress().getHostAddress() + "@" + upstream.getPort(),
        ""), "-d", "-c");
  }

  /**
   * Writes the configuration for a free port and starts {@code program flags... config}; retries
   * on another port if the program exits (the port was taken meanwhile) before it answers an SOA
   * query for {@code zone}.
   */
  private static PeerDns start(String program, Path dir, String zone, IntFunction<String> config, String... flags)
      throws IOException, InterruptedException {
    String binary = copyOf(locate(program), dir);
    Path conf = dir.resolve(program + ".conf");
    Path log = dir.resolve(program + ".out");
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Files.writeString(conf, config.apply(port), StandardCharsets.UTF_8);
      List<String> command = new java.util.ArrayList<>(List.of(binary));
      command.addAll(List.of(flags));
      command.add(conf.toString());
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RUNNING.add(p);
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      Message answer;
      try {
        answer = awaitAnswer(p, address, zone);
      } catch (IOException | RuntimeException e) {
        stop(p);
        throw e;
      }
      if (answer != null && answer.getRcode() == Rcode.NOERROR) {
        return new PeerDns(address, p);
      }
      boolean exited = !p.isAlive();
      stop(p);
      // only an exit before answering (the port was taken meanwhile) is worth another try
      if (!exited || attempt >= START_TRIES) {
        Path ownLog = dir.resolve(program + ".log");
        throw new IOException(program + " did not start"
            + (answer != null ? ": it answered " + Rcode.string(answer.getRcode()) + " for " + zone + " SOA"
                : exited ? " (" + attempt + " tries, it exited each time)" : ": no answer in 15 s")
            + "; its output:\n" + Files.readString(log) + (Files.exists(ownLog) ? Files.readString(ownLog) : ""));
      }
    }
  }

  /**
   * A copy of {@code binary} in {@code dir}: Debian's AppArmor profile for /usr/sbin/unbound
   * (attached by path) would not let it read a configuration in a temporary directory.
   */
  private static String copyOf(String binary, Path dir) throws IOException {
    Path copy = dir.resolve(Path.of(binary).getFileName().toString() + "-test");
    Files.copy(Path.of(binary), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (!copy.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + copy + " executable");
    }
    return copy.toString();
  }

  private static String locate(String program) throws IOException {
    for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/sbin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IOException(program + " is not installed: apt-get install nsd unbound (scripts/test.sh does)");
  }

  /** A port free on 127.0.0.1 for both UDP and TCP at the moment of the call. */
  private static int freePort() throws IOException {
    for (int i = 0; ; i++) {
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
          ServerSocket t = new ServerSocket()) {
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), u.getLocalPort()));
        return u.getLocalPort();
      } catch (BindException e) {
        if (i >= 20) {
          throw e;
        }
      }
    }
  }

  /** The first answer to an SOA query for {@code zone}; null if the process ends first or 15 s pass. */
  private static Message awaitAnswer(Process p, InetSocketAddress address, String zone) throws IOException, InterruptedException {
    byte[] probe = Names.query(zone, Type.SOA).toWire();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline && p.isAlive()) {
      byte[] answer = DnsClient.udp(address, probe, 200);
      if (answer != null) {
        return new Message(answer);
      }
      Thread.sleep(50);
    }
    return null;
  }

  /** SIGTERM, then SIGKILL, to the process and to what it forked (NSD runs xfrd and a server child). */
  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
    }
    RUNNING.remove(p);
  }

  @Override
  public void close() throws InterruptedException {
    stop(process);
  }
}
