package io.fluxguard.detector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FluxNetworkIndexTest {
  @Test
  void match_countsAddressesOfOtherNetworksOnly() {
    FluxNetworkIndex index = new FluxNetworkIndex(1_000, Duration.ofHours(24), () -> 0L);
    assertThat(index.match(new long[] {1, 2, 3}, "mine.example")).isEqualTo(FluxNetworkIndex.Match.NONE);
    index.record(new long[] {1, 2, 3}, "evil.top");
    index.record(new long[] {4}, "other.top");
    FluxNetworkIndex.Match m = index.match(new long[] {1, 2, 4, 99}, "mine.example");
    assertThat(m.shared()).isEqualTo(3);
    assertThat(m.network()).isEqualTo("evil.top");
    assertThat(index.match(new long[] {1, 2, 3}, "evil.top")).isEqualTo(FluxNetworkIndex.Match.NONE);
  }

  @Test
  void filterRebuilt_afterManyInsertions_stillFindsEveryIndexedAddress() {
    FluxNetworkIndex index = new FluxNetworkIndex(50, Duration.ofHours(24), () -> 0L);
    for (long k = 0; k < 1_000; k++) { // twenty times the capacity: evictions and rebuilds
      index.record(new long[] {k * 7919}, "evil" + (k % 3) + ".top");
    }
    long found = 0;
    for (long k = 0; k < 1_000; k++) {
      found += index.match(new long[] {k * 7919}, "mine.example").shared();
    }
    assertThat(found).isEqualTo(index.size()); // every address still indexed is found
    assertThat(index.size()).isLessThanOrEqualTo(50);
  }
}
