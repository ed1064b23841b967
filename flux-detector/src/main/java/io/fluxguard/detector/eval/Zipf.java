package io.fluxguard.detector.eval;

import java.util.Random;

/** Indices drawn from a Zipf distribution (s = 1), as query names are: a few very popular, a long tail. */
public final class Zipf {
  private Zipf() {}

  /** {@code count} indices in [0, n), index i drawn with probability proportional to 1 / (i + 1). */
  public static int[] indices(int n, int count, Random random) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    int[] out = new int[count];
    for (int k = 0; k < count; k++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      out[k] = lo;
    }
    return out;
  }
}
