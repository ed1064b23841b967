package io.fluxguard.policy.match;

/**
 * An immutable set of domain-name entries, each {@link NameMatch} with an int value (a rule
 * number), answering "which entry covers this name, most specific first" with one table probe per
 * label of the name. The equivalent of a reversed-label trie in flat arrays: 1,000,000 entries in
 * about 40 MB and no object per entry. Build with {@link Builder}; an entry added earlier wins
 * over a later one for the same name and kind.
 */
public final class NameIndex {
  public static final int NO_MATCH = -1;
  private static final int MAX_LABELS = 128;

  private final HashSlots slots;
  private final int entries;

  private NameIndex(HashSlots slots, int entries) {
    this.slots = slots;
    this.entries = entries;
  }

  /** Entries added (a name with an exact and a wildcard entry counts twice). */
  public int entries() {
    return entries;
  }

  /**
   * The value of the most specific entry covering {@code name} (lower-case text without the
   * trailing dot), or {@link #NO_MATCH}: an entry for the name itself first, then the closest
   * enclosing {@code SUBTREE} or {@code BELOW} entry.
   */
  public int match(CharSequence name) {
    return match(name, null);
  }

  /** As {@link #match(CharSequence)}; {@code labelsOut[0]} receives how many labels the matched entry has. */
  public int match(CharSequence name, int[] labelsOut) {
    return match(Key.of(name), labelsOut);
  }

  /**
   * As {@link #match(CharSequence, int[])} with the name's suffix hashes worked out once, for
   * probing several indexes with the same name.
   */
  public int match(Key key, int[] labelsOut) {
    long[] hashes = key.hashes;
    int[] checks = key.checks;
    int n = key.labels;
    if (n == 0) {
      return NO_MATCH;
    }
    int self = slots.find(hashes[n - 1], checks[n - 1]);
    if (self >= 0 && slots.first(self) != HashSlots.NONE) {
      return found(slots.first(self), n, labelsOut);
    }
    for (int k = n - 2; k >= 0; k--) {
      int at = slots.find(hashes[k], checks[k]);
      if (at >= 0 && slots.second(at) != HashSlots.NONE) {
        return found(slots.second(at), k + 1, labelsOut);
      }
    }
    return NO_MATCH;
  }

  /** A name's suffix hashes, to probe several indexes with. */
  public static final class Key {
    private final long[] hashes;
    private final int[] checks;
    private final int labels;
    private final String name;

    private Key(String name) {
      this.name = name;
      int n = NameHash.labels(name, MAX_LABELS);
      this.hashes = new long[n];
      this.checks = new int[n];
      this.labels = NameHash.suffixes(name, hashes, checks);
    }

    public static Key of(CharSequence name) {
      return new Key(name.toString());
    }

    /** The name's last {@code labels} labels (the entry a match with that many labels was for). */
    public String suffix(int labels) {
      int cut = name.length();
      for (int i = 0; i < labels && cut > 0; i++) {
        cut = name.lastIndexOf('.', cut - 1);
      }
      return cut < 0 ? name : name.substring(cut + 1);
    }
  }

  private static int found(int value, int labels, int[] labelsOut) {
    if (labelsOut != null) {
      labelsOut[0] = labels;
    }
    return value;
  }

  /** Collects entries; not thread-safe. */
  public static final class Builder {
    private final HashSlots slots;
    private final int[] check = new int[1];
    private int entries;

    public Builder(int expectedEntries) {
      this.slots = new HashSlots(expectedEntries);
    }

    /** Adds an entry; {@code value} must not be negative. */
    public Builder add(CharSequence name, NameMatch match, int value) {
      if (value < 0) {
        throw new IllegalArgumentException("value must not be negative, got " + value);
      }
      long hash = NameHash.hash(name, check, MAX_LABELS);
      int slot = slots.slot(hash, check[0]);
      switch (match) {
        case EXACT -> slots.setFirstIfAbsent(slot, value);
        case BELOW -> slots.setSecondIfAbsent(slot, value);
        case SUBTREE -> {
          slots.setFirstIfAbsent(slot, value);
          slots.setSecondIfAbsent(slot, value);
        }
      }
      entries++;
      return this;
    }

    public NameIndex build() {
      slots.trim();
      return new NameIndex(slots, entries);
    }
  }
}
