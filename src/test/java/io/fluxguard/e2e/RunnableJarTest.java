package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The jar the build produces, run as a separate process the way operators run it. */
class RunnableJarTest {
  @TempDir Path dir;

  private static ExternalCommand.Result java(String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    cmd[1] = "-jar";
    cmd[2] = FluxguardProcess.jar();
    System.arraycopy(args, 0, cmd, 3, args.length);
    return ExternalCommand.run(60, cmd);
  }

  @Test
  void version_printsVersionAndExitsZero() throws Exception {
    ExternalCommand.Result r = java("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).startsWith("fluxguard 0.1.0");
  }

  @Test
  void help_listsEveryOption() throws Exception {
    ExternalCommand.Result r = java("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout())
        .contains("--config", "--listen", "--upstream", "--admin-listen", "--data-dir", "--check-config", "--version", "--help");
  }

  @Test
  void checkConfig_shippedDefaultFile_ok() throws Exception {
    ExternalCommand.Result r = java("--check-config", "--config", System.getProperty("fluxguard.config"), "--upstream", "192.0.2.1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("configuration OK").contains("upstream.servers=192.0.2.1:53");
  }

  @Test
  void checkConfig_containerConfiguration_ok() throws Exception {
    // docker/fluxguard.yml with its container paths pointed at files that exist here.
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "operator " + "0123456789abcdef".repeat(2) + "\n");
    Path list = dir.resolve("bypass-canaries.txt");
    Files.copy(Path.of("..", "..", "docker", "lists", "bypass-canaries.txt"), list);
    String yml = Files.readString(Path.of("..", "..", "docker", "fluxguard.yml"))
        .replace("/run/secrets/fluxguard-admin-tokens", tokens.toString())
        .replace("/etc/fluxguard/lists/bypass-canaries.txt", list.toString())
        .replace("/var/lib/fluxguard", dir.resolve("data").toString());
    Path config = dir.resolve("container.yml");
    Files.writeString(config, yml);
    ExternalCommand.Result r = java("--check-config", "--config", config.toString());
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout()).contains("admin.tokens=[operator:").contains("server.listen=0.0.0.0:53");
  }

  @Test
  void badConfig_exitsTwoListingEveryErrorWithFileLineAndKey() throws Exception {
    Path config = dir.resolve("bad.yml");
    Files.writeString(config, "server:\n  threads: many\nupstream:\n  timeout: 0s\n  servers: [\"192.0.2.1:70000\"]\n");
    ExternalCommand.Result r = java("--check-config", "--config", config.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("3 error(s)")
        .contains(config + ":2: server.threads: expected an integer from 0 to 256")
        .contains(config + ":4: upstream.timeout: expected a duration")
        .contains(config + ":5: upstream.servers: expected an address");
  }

  @Test
  void badCommandLine_exitsTwo() throws Exception {
    ExternalCommand.Result r = java("--listen", "127.0.0.1:notaport", "--check-config");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("command line: server.listen: expected an address");
    assertThat(java("--no-such-option").exitCode()).isEqualTo(2);
  }

  @Test
  void evaluate_printsThePerClassTableAndMeetsTheTargets() throws Exception {
    ExternalCommand.Result r = java("evaluate", "--per-class", "20");
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("benign/akamai", "benign/ntp_pool", "flux/double_flux", "flux/shared_pool", "Holz et al. baseline")
        .contains("false-positive rate (benign)", "recall (flux)", "median answers before flux verdict")
        .contains("targets met");
  }

  @Test
  void evaluateWithoutAsnDatabase_neverFlagsAndSaysTargetsNotMet() throws Exception {
    ExternalCommand.Result r = java("evaluate", "--per-class", "10", "--no-asn-db");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).contains("TARGETS NOT MET");
  }

  @Test
  void sigterm_answersQueryInFlightThenExits() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      upstream.on("slow.test.", ScriptedUpstream.delayed(1000, ScriptedUpstream.answer(ScriptedUpstream::defaultAnswer)));
      try (FluxguardProcess p = new FluxguardProcess("--upstream", upstream.hostPort(), "--data-dir", dir.resolve("data").toString())) {
        assertThat(DnsClient.udp(p.address, Names.query("fast.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);

        CompletableFuture<Message> inFlight =
            CompletableFuture.supplyAsync(() -> {
              try {
                return DnsClient.udp(p.address, Names.query("slow.test.", Type.A));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
        while (upstream.count("slow.test.") == 0) {
          Thread.sleep(10);
        }
        // SIGTERM through kill(1): Process.destroy() would also close our end of its output.
        assertThat(ExternalCommand.run(10, "kill", "-TERM", Long.toString(p.process.pid())).exitCode()).isZero();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(p.process.waitFor(10, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(p.process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after shutdown hooks ran
        p.await(l -> l.contains("event=stopped"), 5); // lets the reader catch up with what it wrote before exiting
        String all = String.join("\n", p.log());
        assertThat(all).contains("event=drained clean=true").contains("event=stopped");
      }
    }
  }
}
