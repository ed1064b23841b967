package io.fluxguard.detector.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameEvidenceTest {
  @Test
  void recordAnswer_countsNewAddressesAndChanges() {
    NameEvidence e = new NameEvidence(64, 0);
    assertThat(e.recordAnswer(new long[] {1, 2, 3}, 300, 0)).isEqualTo(3);
    assertThat(e.recordAnswer(new long[] {3, 2, 1}, 300, 400)).isZero(); // same set, other order
    assertThat(e.recordAnswer(new long[] {4, 5}, 120, 800)).isEqualTo(2);
    assertThat(e.distinctAddresses()).isEqualTo(5);
    assertThat(e.answers()).isEqualTo(3);
    assertThat(e.changes()).isEqualTo(1);
    assertThat(e.earlyChanges()).isZero();
    assertThat(e.ttlMin()).isEqualTo(120);
    assertThat(e.ttlMedian()).isEqualTo(300);
    assertThat(e.firstAnswerSize()).isEqualTo(3);
  }

  @Test
  void changeBeforePreviousTtlRanOut_countedEarly() {
    NameEvidence e = new NameEvidence(64, 0);
    e.recordAnswer(new long[] {1}, 300, 0);
    e.recordAnswer(new long[] {2}, 300, 100);
    assertThat(e.earlyChanges()).isEqualTo(1);
  }

  @Test
  void pastTheExactLimit_sketchKeepsCounting() {
    NameEvidence e = new NameEvidence(16, 0);
    for (int i = 0; i < 500; i++) {
      e.recordAnswer(new long[] {1000 + i}, 60, i * 60);
    }
    assertThat(e.exactAddresses()).hasSize(16);
    assertThat(e.distinctAddresses()).isBetween(350L, 650L);
  }

  @Test
  void nameServers_changesAndGlue() {
    NameEvidence e = new NameEvidence(64, 0);
    e.recordNameServers(new int[] {1, 2}, new long[] {10, 11}, 0);
    e.recordNameServers(new int[] {2, 1}, new long[] {12}, 10);
    e.recordNameServers(new int[] {3, 4}, new long[] {13}, 20);
    assertThat(e.nameServerChanges()).isEqualTo(1);
    assertThat(e.nameServerCount()).isEqualTo(4);
    assertThat(e.glueAddresses()).containsExactly(10, 11, 12, 13);
  }
}
