package io.fluxguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Every configured address, IPv4 and IPv6, serves UDP and TCP. */
class ListenAddressesTest {
  @Test
  void ipv4AndIpv6Loopback_bothServeUdpAndTcp() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      TestServer.Options o = new TestServer.Options(upstream.address());
      o.listen = List.of(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("::1", 0));
      try (TestServer server = new TestServer(o)) {
        assertThat(server.addresses).hasSize(2);
        for (InetSocketAddress address : server.addresses) {
          assertThat(DnsClient.udp(address, Names.query("v6.test.", Type.A)).getRcode()).as("UDP %s", address).isEqualTo(Rcode.NOERROR);
          assertThat(DnsClient.tcp(address, Names.query("v6.test.", Type.A)).getRcode()).as("TCP %s", address).isEqualTo(Rcode.NOERROR);
        }
        assertThat(server.addresses.get(1).getAddress().getHostAddress()).contains(":");
      }
    }
  }
}
