package io.fluxguard.policy.bench;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.policy.lists.PolicyLists;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Loading a list of 1,000,000 entries (issue target: at most 3 s and 150 MB). Writes a domains
 * file of random names (as blocklists hold: one to four labels under assorted registered
 * domains, a tenth of them wildcards), loads it three times through {@link PolicyLists} (the
 * first with a cold JIT), and reports the time of each and the heap the loaded list holds after a
 * full GC. Also times 1,000,000 lookups of names under and beside the entries.
 *
 * <p>Run with {@code bench/list-load.sh [entries]}.
 */
public final class ListLoadBenchmark {
  private ListLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path file = Files.createTempFile("fluxguard-list", ".txt");
    Random random = new Random(11);
    String[] tlds = {"com", "net", "org", "info", "xyz", "top", "ru", "cn", "co.uk", "com.br"};
    String[] names = new String[entries];
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("# generated blocklist\n");
      for (int i = 0; i < entries; i++) {
        StringBuilder n = new StringBuilder();
        int labels = 1 + random.nextInt(3);
        for (int l = 0; l < labels; l++) {
          String word = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
          n.append(word, 0, Math.min(word.length(), 4 + random.nextInt(8))).append('.');
        }
        n.append(tlds[random.nextInt(tlds.length)]);
        names[i] = n.toString();
        out.write(i % 10 == 0 ? "*." + names[i] : names[i]);
        out.write('\n');
      }
    }
    System.out.printf(Locale.ROOT, "file: %s, %d entries, %.1f MB%n", file, entries, Files.size(file) / 1e6);
    ListSettings settings = new ListSettings("bench", file, ListFormat.DOMAINS, Mode.ENFORCE, Action.SINKHOLE);
    long base = usedHeapAfterGc();
    PolicyLists lists = null;
    for (int round = 1; round <= 3; round++) {
      lists = new PolicyLists(List.of(settings));
      long start = System.nanoTime();
      lists.reloadAll();
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(Locale.ROOT, "round %d: loaded %d entries in %d ms%n", round, lists.snapshot().get(0).entries(), ms);
    }
    long loaded = usedHeapAfterGc();
    System.out.printf(Locale.ROOT, "heap held by the loaded list: %.1f MB (%.0f bytes per entry)%n",
        (loaded - base) / 1e6, (double) (loaded - base) / entries);
    var index = lists.snapshot().get(0).names();
    int hits = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 1_000_000; i++) {
      String n = names[random.nextInt(entries)];
      hits += index.match(i % 2 == 0 ? "www.sub." + n : "nope" + i + ".example") >= 0 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "1,000,000 lookups (half under an entry): %d ms, %d matched%n",
        (System.nanoTime() - start) / 1_000_000, hits);
    Files.delete(file);
    if (lists.snapshot().isEmpty()) {
      System.out.println(lists); // keep it reachable until the measurement
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
