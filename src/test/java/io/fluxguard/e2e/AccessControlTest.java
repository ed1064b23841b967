package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxguard.acl.AclSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Never an open resolver: clients outside acl.allow get REFUSED or nothing, and are counted. */
class AccessControlTest {
  @Test
  void clientOutsideTheList_refused_overUdpAndTcp_andCounted() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.acl = new AclSettings(List.of("10.0.0.0/8"), AclSettings.Action.REFUSE); // 127.0.0.1 is outside
      try (TestServer server = new TestServer(o)) {
        Message udp = DnsClient.udp(server.address, Names.query("www.example.test.", Type.A));
        assertThat(udp.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(udp.getQuestion().getName()).isEqualTo(Names.of("www.example.test."));
        assertThat(DnsClient.tcp(server.address, Names.query("www.example.test.", Type.A)).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(upstream.count("www.example.test.")).isZero();
        assertThat(server.counter("fluxguard.queries.rejected", "reason", "acl")).isEqualTo(2);
      }
    }
  }

  @Test
  void clientOutsideTheList_dropped_whenSoConfigured() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.acl = new AclSettings(List.of("192.0.2.0/24"), AclSettings.Action.DROP);
      try (TestServer server = new TestServer(o)) {
        assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A).toWire(), 500)).isNull(); // no answer
        assertThat(server.counter("fluxguard.packets.dropped", "reason", "acl")).isEqualTo(1);
      }
    }
  }

  @Test
  void defaultList_admitsLoopback() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        TestServer server = new TestServer(new TestServer.Options(upstream.address()))) {
      assertThat(DnsClient.udp(server.address, Names.query("www.example.test.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }
}
