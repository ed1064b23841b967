package io.fluxguard.policy.match;

import java.util.Arrays;

/**
 * An open-addressing table from a 96-bit key (a 64-bit hash and an independent 32-bit check) to
 * two int values, built once and then only read. The keys are hashes of names or address
 * prefixes: two different keys collide only if both hashes agree, about 1 in 2^96 per pair.
 * About 20 bytes per entry at the load it is built for, and no object per entry.
 */
final class HashSlots {
  static final int NONE = -1;

  private long[] hashes;
  private int[] checks;
  private int[] first;
  private int[] second;
  private int size;
  private int mask;

  HashSlots(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    hashes = new long[capacity];
    checks = new int[capacity];
    first = new int[capacity];
    second = new int[capacity];
    Arrays.fill(first, NONE);
    Arrays.fill(second, NONE);
    mask = capacity - 1;
  }

  /** The slot of the key, or -1. */
  int find(long hash, int check) {
    if (hash == 0) {
      hash = 1; // 0 marks an empty slot
    }
    for (int i = (int) (hash ^ (hash >>> 32)) & mask; ; i = (i + 1) & mask) {
      long h = hashes[i];
      if (h == 0) {
        return -1;
      }
      if (h == hash && checks[i] == check) {
        return i;
      }
    }
  }

  int first(int slot) {
    return first[slot];
  }

  int second(int slot) {
    return second[slot];
  }

  /** The slot of the key, added if absent (its values NONE). */
  int slot(long hash, int check) {
    if (hash == 0) {
      hash = 1;
    }
    if ((size + 1) * 2 > hashes.length) {
      grow();
    }
    int i = (int) (hash ^ (hash >>> 32)) & mask;
    for (; hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && checks[i] == check) {
        return i;
      }
    }
    hashes[i] = hash;
    checks[i] = check;
    size++;
    return i;
  }

  /** Sets the first value unless one is set (the earlier entry wins). */
  void setFirstIfAbsent(int slot, int value) {
    if (first[slot] == NONE) {
      first[slot] = value;
    }
  }

  void setSecondIfAbsent(int slot, int value) {
    if (second[slot] == NONE) {
      second[slot] = value;
    }
  }

  private void grow() {
    resize(hashes.length * 2);
  }

  /** Shrinks the table to the smallest that keeps the load at most one half (after building). */
  void trim() {
    int capacity = Integer.highestOneBit(Math.max(16, size * 2) - 1) << 1;
    if (capacity < hashes.length) {
      resize(capacity);
    }
  }

  private void resize(int capacity) {
    long[] h = hashes;
    int[] c = checks;
    int[] f = first;
    int[] s = second;
    allocate(capacity);
    int n = size;
    size = 0;
    for (int i = 0; i < h.length; i++) {
      if (h[i] != 0) {
        int at = slot(h[i], c[i]);
        first[at] = f[i];
        second[at] = s[i];
      }
    }
    size = n;
  }
}
