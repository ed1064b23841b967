package io.fluxguard.detector.bench;

import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.asn.AsnDatabaseBuilder;
import io.fluxguard.detector.asn.AsnDatabaseLoader;
import io.fluxguard.detector.asn.AsnFormat;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Time and heap to load IP-to-ASN files into an {@link AsnDatabase}. Run with
 * {@code bench/asn-load.sh} (which fetches the ip-location-db files, about 515,000 ranges).
 *
 * <p>Arguments: FORMAT FILE [FILE ...]. Loads three times and reports the last (warm JIT).
 */
public final class AsnLoadBenchmark {
  private AsnLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    AsnFormat format = AsnFormat.fromKey(args[0]);
    AsnDatabase db = null;
    long millis = 0;
    for (int round = 0; round < 3; round++) {
      db = null;
      long before = usedHeapAfterGc();
      long start = System.nanoTime();
      AsnDatabaseBuilder builder = new AsnDatabaseBuilder();
      AsnDatabaseLoader loader = new AsnDatabaseLoader(builder);
      for (int i = 1; i < args.length; i++) {
        loader.load(Path.of(args[i]), format);
      }
      db = builder.build();
      millis = (System.nanoTime() - start) / 1_000_000;
      long retained = usedHeapAfterGc() - before;
      System.out.printf(Locale.ROOT, "round %d: %d ranges loaded in %d ms; database holds %.1f MB of heap%n",
          round + 1, db.size(), millis, retained / 1e6);
    }
    System.out.println(db.size() > 0 ? "ok" : "empty");
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
