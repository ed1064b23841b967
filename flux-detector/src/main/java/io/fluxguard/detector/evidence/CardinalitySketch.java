package io.fluxguard.detector.evidence;

/**
 * A small HyperLogLog (64 registers, about 13 % standard error) counting distinct addresses once
 * a name has more than the exact-set limit; 64 bytes however many addresses follow.
 */
final class CardinalitySketch {
  private static final int REGISTERS = 64;
  private static final double ALPHA = 0.709;
  private final byte[] registers = new byte[REGISTERS];
  private long estimate = -1; // cached until a register changes

  void add(long key) {
    long h = mix(key);
    int index = (int) (h >>> 58); // top 6 bits choose the register
    int rank = Long.numberOfLeadingZeros((h << 6) | (1L << 5)) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
      estimate = -1;
    }
  }

  long estimate() {
    if (estimate < 0) {
      estimate = compute();
    }
    return estimate;
  }

  private long compute() {
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += 1.0 / (1L << r);
      if (r == 0) {
        zeros++;
      }
    }
    double e = ALPHA * REGISTERS * REGISTERS / sum;
    if (e <= 2.5 * REGISTERS && zeros > 0) {
      e = REGISTERS * Math.log((double) REGISTERS / zeros); // linear counting for small sets
    }
    return Math.round(e);
  }

  /** SplitMix64 finaliser: spreads address bits over the whole hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
