package io.fluxguard.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path dir;

  private List<String> replayed(Path file) throws Exception {
    List<String> seen = new ArrayList<>();
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, seen::add)) {
      return seen;
    }
  }

  @Test
  void append_acknowledgedRecords_replayInOrder() throws Exception {
    Path file = dir.resolve("j");
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, r -> {})) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        acks.add(j.append("{\"n\":" + i + "}"));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
    }
    List<String> seen = replayed(file);
    assertThat(seen).hasSize(500);
    assertThat(seen.get(499)).isEqualTo("{\"n\":499}");
  }

  @Test
  void open_tornLastLine_isSkippedAndCutSoAppendsStayAligned() throws Exception {
    Path file = dir.resolve("j");
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, r -> {})) {
      j.append("one").get(5, TimeUnit.SECONDS);
      j.append("two").get(5, TimeUnit.SECONDS);
    }
    Files.write(file, "deadbeef thr".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND); // a crash mid-write
    List<String> seen = new ArrayList<>();
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, seen::add)) {
      j.append("three").get(5, TimeUnit.SECONDS);
    }
    assertThat(seen).containsExactly("one", "two");
    assertThat(replayed(file)).containsExactly("one", "two", "three");
  }

  @Test
  void open_corruptLineInTheMiddle_isSkippedTheRestKept() throws Exception {
    Path file = dir.resolve("j");
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, r -> {})) {
      for (String s : List.of("a", "b", "c")) {
        j.append(s).get(5, TimeUnit.SECONDS);
      }
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, lines.get(1).replace(" b", " x")); // checksum no longer matches
    Files.write(file, lines);
    assertThat(replayed(file)).containsExactly("a", "c");
  }

  @Test
  void compaction_rewritesTheLiveStateOnly() throws Exception {
    Path file = dir.resolve("j");
    List<String> live = List.of("final-1", "final-2");
    try (Journal j = new Journal(file, 10, () -> live, live::size, r -> {})) {
      for (int i = 0; i < 30; i++) {
        j.append("update " + i).get(5, TimeUnit.SECONDS);
      }
      assertThat(j.lines()).isLessThan(30);
    }
    List<String> seen = replayed(file);
    assertThat(seen).startsWith("final-1", "final-2");
    assertThat(seen.size()).isLessThan(30);
  }

  @Test
  void writeFailure_leavesNoHalfLine_laterRecordsStillKept() throws Exception {
    Path file = dir.resolve("j");
    try (Journal j = new Journal(file, 1_000_000, List::of, () -> 0, r -> {})) {
      FaultyChannel[] faulty = new FaultyChannel[1];
      j.wrapChannel(c -> faulty[0] = new FaultyChannel(c));
      j.append("first").get(5, TimeUnit.SECONDS);
      faulty[0].failing = true;
      CompletableFuture<Void> lost = j.append("a long record that the full disk cuts short");
      assertThat(lost).failsWithin(5, TimeUnit.SECONDS);
      faulty[0].failing = false; // space again
      j.append("important").get(5, TimeUnit.SECONDS);
    }
    assertThat(replayed(file)).containsExactly("first", "important");
  }
}
