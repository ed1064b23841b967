package io.fluxguard.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameIndexTest {
  @Test
  void match_subtreeCoversNameAndBelow_notSiblingsOrParents() {
    NameIndex index = new NameIndex.Builder(4).add("evil.example", NameMatch.SUBTREE, 1).build();
    assertThat(index.match("evil.example")).isEqualTo(1);
    assertThat(index.match("a.b.evil.example")).isEqualTo(1);
    assertThat(index.match("notevil.example")).isEqualTo(NameIndex.NO_MATCH);
    assertThat(index.match("example")).isEqualTo(NameIndex.NO_MATCH);
    assertThat(index.match("evil.example.org")).isEqualTo(NameIndex.NO_MATCH);
  }

  @Test
  void match_exactAndBelow_asRpzMeansThem() {
    NameIndex index = new NameIndex.Builder(4)
        .add("host.example", NameMatch.EXACT, 1)
        .add("wild.example", NameMatch.BELOW, 2)
        .build();
    assertThat(index.match("host.example")).isEqualTo(1);
    assertThat(index.match("a.host.example")).isEqualTo(NameIndex.NO_MATCH);
    assertThat(index.match("wild.example")).isEqualTo(NameIndex.NO_MATCH);
    assertThat(index.match("a.wild.example")).isEqualTo(2);
  }

  @Test
  void match_mostSpecificEntryWins_andLabelsSaySwhichEntry() {
    NameIndex index = new NameIndex.Builder(4)
        .add("example", NameMatch.SUBTREE, 1)
        .add("b.example", NameMatch.SUBTREE, 2)
        .build();
    int[] labels = new int[1];
    assertThat(index.match("a.b.example", labels)).isEqualTo(2);
    assertThat(labels[0]).isEqualTo(2);
    NameIndex.Key key = NameIndex.Key.of("a.c.example");
    assertThat(index.match(key, labels)).isEqualTo(1);
    assertThat(key.suffix(labels[0])).isEqualTo("example");
  }

  @Test
  void match_caseInsensitive_andFirstEntryWinsForTheSameName() {
    NameIndex index = new NameIndex.Builder(4)
        .add("Evil.Example", NameMatch.SUBTREE, 1)
        .add("evil.example", NameMatch.SUBTREE, 2)
        .build();
    assertThat(index.match("EVIL.example")).isEqualTo(1);
  }

  @Test
  void build_manyEntries_growsAndFindsEveryOne() {
    NameIndex.Builder b = new NameIndex.Builder(16);
    for (int i = 0; i < 100_000; i++) {
      b.add("host" + i + ".zone" + (i % 97) + ".example", NameMatch.EXACT, i);
    }
    NameIndex index = b.build();
    for (int i = 0; i < 100_000; i += 7) {
      assertThat(index.match("host" + i + ".zone" + (i % 97) + ".example")).isEqualTo(i);
    }
    assertThat(index.match("host5.zone6.example")).isEqualTo(NameIndex.NO_MATCH);
    assertThat(index.entries()).isEqualTo(100_000);
  }
}
