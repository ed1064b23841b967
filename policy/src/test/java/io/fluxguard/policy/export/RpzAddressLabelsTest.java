package io.fluxguard.policy.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

class RpzAddressLabelsTest {
  private static String labels(String address) {
    return RpzAddressLabels.of(InetAddresses.forString(address).getAddress());
  }

  @Test
  void of_ipv4_prefix32ThenOctetsReversed() {
    assertThat(labels("192.0.2.1")).isEqualTo("32.1.2.0.192.rpz-ip");
    assertThat(labels("0.0.0.0")).isEqualTo("32.0.0.0.0.rpz-ip");
  }

  @Test
  void of_ipv6_prefix128GroupsReversedLongestZeroRunAsZz() {
    assertThat(labels("2001:db8::1")).isEqualTo("128.1.zz.db8.2001.rpz-ip");
    assertThat(labels("::1")).isEqualTo("128.1.zz.rpz-ip");
    assertThat(labels("2001:db8:0:1::")).isEqualTo("128.zz.1.0.db8.2001.rpz-ip");
    assertThat(labels("::")).isEqualTo("128.zz.rpz-ip");
  }

  @Test
  void of_ipv6_singleZeroGroupKept_firstOfEqualRunsCompressed() {
    // RFC 5952 §4.2.2 and §4.2.3
    assertThat(labels("2001:db8:0:1:1:1:1:1")).isEqualTo("128.1.1.1.1.1.0.db8.2001.rpz-ip");
    assertThat(labels("1:0:0:2:0:0:0:3")).isEqualTo("128.3.zz.2.0.0.1.rpz-ip");
    assertThat(labels("1:0:0:2:0:0:3:4")).isEqualTo("128.4.3.0.0.2.zz.1.rpz-ip");
  }
}
