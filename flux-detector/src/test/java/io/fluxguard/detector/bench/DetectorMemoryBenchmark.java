package io.fluxguard.detector.bench;

import io.fluxguard.detector.DetectorSettings;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.detector.asn.AsnDatabase;
import io.fluxguard.detector.domain.RegisteredDomains;
import io.fluxguard.detector.eval.EvalAddressSpace;
import io.fluxguard.detector.evidence.AddressKey;
import io.fluxguard.detector.evidence.AnswerObservation;
import io.fluxguard.detector.org.Organisations;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap held by the detector's evidence: 1,000,000 benign names (each resolved a few times to 1–2
 * stable addresses, what most names look like), then flux domains until the flux-network index
 * is full. Prints bytes per tracked benign name and the total. Run with
 * {@code bench/detector-memory.sh}; not a test, because heap figures are measurements.
 */
public final class DetectorMemoryBenchmark {
  private DetectorMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int names = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    EvalAddressSpace space = EvalAddressSpace.load();
    AsnDatabase asns = space.database();
    AtomicLong clock = new AtomicLong();
    long base = usedHeapAfterGc();
    FluxDetector detector =
        new FluxDetector(DetectorSettings.DEFAULTS, asns, Organisations.builtIn(), RegisteredDomains.guava(), clock::get);
    long empty = usedHeapAfterGc();
    Random random = new Random(3);
    int[] hosting = {14061, 16276, 24940, 20473, 16265, 13335, 16509, 15169};
    for (int n = 0; n < names; n++) {
      String name = "www.site" + n + ".example" + (n % 1000) + ".com";
      long[] keys = new long[1 + random.nextInt(2)];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = AddressKey.of(space.address(hosting[random.nextInt(hosting.length)], random));
      }
      for (int answer = 0; answer < 3; answer++) {
        clock.addAndGet(1_000_000L); // 1 ms apart: all within the 24 h window
        detector.observe(new AnswerObservation(name, name, List.of(), keys, 300, null, new int[0], new long[0]));
      }
    }
    detector.cleanUp();
    long benign = usedHeapAfterGc();
    int[] residential = {7922, 3320, 3215, 4134, 4766, 9121, 27699, 9498, 7552, 12389, 6849, 8359, 209, 1221, 22773, 5089};
    int fluxDomains = 0;
    while (detector.indexedAddresses() < DetectorSettings.DEFAULTS.maxIndexedAddresses() && fluxDomains < 100_000) {
      String name = "www.flux" + fluxDomains++ + ".top";
      for (int answer = 0; answer < 8; answer++) {
        long[] keys = new long[8];
        for (int i = 0; i < 8; i++) {
          InetAddress a = space.address(residential[random.nextInt(residential.length)], random);
          keys[i] = AddressKey.of(a);
        }
        clock.addAndGet(100_000_000L);
        detector.observe(new AnswerObservation(name, name, List.of(), keys, 180, null, new int[0], new long[0]));
      }
    }
    detector.cleanUp();
    long full = usedHeapAfterGc();
    long tracked = detector.trackedNames();
    System.out.printf(Locale.ROOT, "tracked names: %d (+ %d registered domains); flux domains fed: %d; indexed addresses: %d%n",
        tracked, detector.trackedDomains(), fluxDomains, detector.indexedAddresses());
    System.out.printf(Locale.ROOT, "heap: empty detector %.1f MB; after %d benign names %.1f MB = %.0f bytes per benign name (names + domains)%n",
        (empty - base) / 1e6, names, (benign - base) / 1e6, (double) (benign - empty) / names);
    System.out.printf(Locale.ROOT, "heap with the flux-network index full: %.1f MB (target: at most 512 MB for 1,000,000 names)%n",
        (full - base) / 1e6);
    if (detector.trackedNames() < 0) {
      System.out.println(detector); // keep the detector reachable until the last measurement
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
