package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** The running jar reloads its lists on SIGHUP, without a restart and without dropping a query. */
class ListReloadTest {
  @TempDir Path dir;

  private static String address(Message m) {
    return Names.addresses(m).stream().findFirst().orElse("none");
  }

  @Test
  void sighup_reloadsTheLists() throws Exception {
    Path list = dir.resolve("malware.txt");
    Files.writeString(list, "first.test\n");
    Path config = dir.resolve("fluxguard.yml");
    Files.writeString(config, """
        policy:
          lists:
            malware:
              path: %s
          list-check-interval: 1h
        """.formatted(list));
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        FluxguardProcess p = new FluxguardProcess(
            "--config", config.toString(), "--upstream", upstream.hostPort(), "--data-dir", dir.resolve("data").toString())) {
      assertThat(address(DnsClient.udp(p.address, Names.query("www.first.test.", Type.A)))).isEqualTo("0.0.0.0");
      assertThat(address(DnsClient.udp(p.address, Names.query("www.second.test.", Type.A)))).isNotEqualTo("0.0.0.0");
      Files.writeString(list, "second.test\n");
      assertThat(ExternalCommand.run(10, "kill", "-HUP", Long.toString(p.process.pid())).exitCode()).isZero();
      assertThat(p.await(l -> l.contains("event=lists-reloaded lists=1 failed=0"), 20)).as(String.join("\n", p.log())).isNotNull();
      assertThat(address(DnsClient.udp(p.address, Names.query("www.second.test.", Type.A)))).isEqualTo("0.0.0.0");
      assertThat(address(DnsClient.udp(p.address, Names.query("www.first.test.", Type.A)))).isNotEqualTo("0.0.0.0");
      assertThat(p.process.isAlive()).isTrue();
    }
  }
}
