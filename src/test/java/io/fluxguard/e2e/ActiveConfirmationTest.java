package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** A suspicious name is re-asked upstream by fluxguard itself once its TTL runs out. */
class ActiveConfirmationTest {
  @TempDir Path dir;

  @Test
  void suspiciousAfterOneClientQuery_confirmedAsFluxWithoutAnotherClientQuery() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      upstream.on("www.rotating.test.", FluxDetectionTest.rotating(1, 9)); // TTL 1 s keeps the test short
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.detection = FluxDetectionTest.settings(FluxDetectionTest.asnFile(dir), true);
      try (TestServer server = new TestServer(o)) {
        DnsClient.udp(server.address, Names.query("www.rotating.test.", Type.A)); // the only client query
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (server.counter("fluxguard.detector.assessments", "verdict", "flux") == 0) {
          assertThat(System.nanoTime()).as("flux verdict from fluxguard's own re-query within 8 s").isLessThan(deadline);
          Thread.sleep(50);
        }
        assertThat(upstream.count("www.rotating.test.")).isGreaterThanOrEqualTo(2);
        assertThat(server.counter("fluxguard.detector.confirmations", "outcome", "sent")).isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void confirmationOff_noQueryWithoutAClient() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      upstream.on("www.rotating.test.", FluxDetectionTest.rotating(1, 9));
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.detection = FluxDetectionTest.settings(FluxDetectionTest.asnFile(dir), false);
      try (TestServer server = new TestServer(o)) {
        DnsClient.udp(server.address, Names.query("www.rotating.test.", Type.A));
        Thread.sleep(2500);
        assertThat(upstream.count("www.rotating.test.")).isEqualTo(1);
      }
    }
  }
}
