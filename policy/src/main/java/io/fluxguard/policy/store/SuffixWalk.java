package io.fluxguard.policy.store;

import java.util.Map;

/** Looks a name up in a map keyed by names, then each parent in turn ("a.b.c", "b.c", "c"). */
final class SuffixWalk {
  private SuffixWalk() {}

  static <V> V find(Map<String, V> map, String name) {
    if (map.isEmpty()) {
      return null;
    }
    String n = name;
    while (true) {
      V v = map.get(n);
      if (v != null) {
        return v;
      }
      int dot = n.indexOf('.');
      if (dot < 0) {
        return null;
      }
      n = n.substring(dot + 1);
    }
  }
}
