package io.fluxguard.policy.match;

/**
 * Hashes of a domain name's suffixes, label by label from the right, so that every suffix of a
 * query name ("com", "example.com", "www.example.com") is one table probe. Names are text, lower
 * case, without a trailing dot; letters are folded to lower case here too (RFC 4343).
 */
final class NameHash {
  private static final long SEED = 0x2545F4914F6CDD1DL;
  private static final int CHECK_SEED = 0x7F4A7C15;

  private NameHash() {}

  /**
   * Fills {@code hashes[k]} and {@code checks[k]} with the hash of the name's last {@code k + 1}
   * labels, and returns the number of labels (at most the arrays' length; a longer name's extra
   * leading labels are left out, which only matters past 127 labels).
   */
  static int suffixes(CharSequence name, long[] hashes, int[] checks) {
    return suffixes(name, hashes, checks, hashes.length, null);
  }

  /** Labels of the name (dots plus one; 0 for the root), capped at {@code max}. */
  static int labels(CharSequence name, int max) {
    if (name.length() == 0) {
      return 0;
    }
    int n = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        n++;
      }
    }
    return Math.min(n, max);
  }

  private static int suffixes(CharSequence name, long[] hashes, int[] checks, int max, long[] last) {
    long h = SEED;
    int c = CHECK_SEED;
    if (last != null) {
      last[0] = SEED;
      last[1] = CHECK_SEED;
    }
    int labels = 0;
    int end = name.length();
    while (end > 0 && labels < max) {
      int start = end - 1;
      while (start >= 0 && name.charAt(start) != '.') {
        start--;
      }
      long lh = 0xCBF29CE484222325L; // FNV-1a over the label
      int lc = 0x811C9DC5;
      for (int i = start + 1; i < end; i++) {
        char ch = name.charAt(i);
        if (ch >= 'A' && ch <= 'Z') {
          ch += 32;
        }
        lh = (lh ^ ch) * 0x100000001B3L;
        lc = (lc ^ ch) * 0x01000193;
      }
      h = mix(h * 31 + lh + (end - start));
      c = Integer.rotateLeft(c * 0x9E3779B1 ^ lc, 13) + (end - start);
      if (hashes != null) {
        hashes[labels] = h;
        checks[labels] = c;
      }
      labels++;
      end = start;
    }
    if (last != null) {
      last[0] = h;
      last[1] = c;
    }
    return labels;
  }

  /** The hash of the whole name (its longest suffix). */
  static long hash(CharSequence name, int[] checkOut, int maxLabels) {
    long[] last = new long[2];
    suffixes(name, null, null, maxLabels, last);
    checkOut[0] = (int) last[1];
    return last[0];
  }

  private static long mix(long z) { // SplitMix64's finaliser
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
