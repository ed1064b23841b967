package io.fluxguard.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

class AddressIndexTest {
  private static byte[] ip(String s) {
    return InetAddresses.forString(s).getAddress();
  }

  @Test
  void match_longestPrefixWins_v4AndV6() {
    AddressIndex index = new AddressIndex.Builder(8)
        .add("192.0.2.0/24", 1)
        .add("192.0.2.128/25", 2)
        .add("198.51.100.7", 3)
        .add("2001:db8::/32", 4)
        .add("2001:db8:1::/48", 5)
        .build();
    assertThat(index.match(ip("192.0.2.1"))).isEqualTo(1);
    assertThat(index.match(ip("192.0.2.200"))).isEqualTo(2);
    assertThat(index.match(ip("198.51.100.7"))).isEqualTo(3);
    assertThat(index.match(ip("198.51.100.8"))).isEqualTo(AddressIndex.NO_MATCH);
    assertThat(index.match(ip("2001:db8:ffff::1"))).isEqualTo(4);
    assertThat(index.match(ip("2001:db8:1::53"))).isEqualTo(5);
    assertThat(index.match(ip("2001:db9::1"))).isEqualTo(AddressIndex.NO_MATCH);
  }

  @Test
  void match_v4PrefixNeverMatchesV6() {
    AddressIndex index = new AddressIndex.Builder(8).add("0.0.0.0/0", 1).build();
    assertThat(index.match(ip("203.0.113.9"))).isEqualTo(1);
    assertThat(index.match(ip("::1"))).isEqualTo(AddressIndex.NO_MATCH);
  }

  @Test
  void add_badText_saysWhatIsWrong() {
    AddressIndex.Builder b = new AddressIndex.Builder(8);
    assertThatThrownBy(() -> b.add("192.0.2.300", 1)).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> b.add("192.0.2.0/33", 1)).hasMessageContaining("prefix length must be 0..32");
    assertThatThrownBy(() -> b.add("192.0.2.0/x", 1)).hasMessageContaining("not a prefix length");
  }
}
