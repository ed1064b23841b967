package io.fluxguard.detector.asn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Turns possibly overlapping address ranges into disjoint ones where the more specific range wins
 * for its span: a range nested inside another splits it (the outer range resumes after the inner
 * one ends); of two ranges starting together the narrower wins; of two partly overlapping, the
 * later-starting wins from its start. Addresses are 128-bit (high, low) pairs, IPv4 in the low
 * half.
 */
final class RangeFlattener {
  /** An inclusive range [start, end] and its ASN; mutable while being flattened. */
  static final class Range {
    long startHi;
    long startLo;
    long endHi;
    long endLo;
    final int asn;
    final int order; // insertion order: the final tie-break

    Range(long startHi, long startLo, long endHi, long endLo, int asn, int order) {
      this.startHi = startHi;
      this.startLo = startLo;
      this.endHi = endHi;
      this.endLo = endLo;
      this.asn = asn;
      this.order = order;
    }
  }

  private RangeFlattener() {}

  private static int compare(long aHi, long aLo, long bHi, long bLo) {
    return AsnDatabase.compare(aHi, aLo, bHi, bLo);
  }

  /** Width comparison via end (starts are equal when this is used). */
  private static final Comparator<Range> ORDER =
      (a, b) -> {
        int c = compare(a.startHi, a.startLo, b.startHi, b.startLo);
        if (c != 0) {
          return c;
        }
        c = compare(a.endHi, a.endLo, b.endHi, b.endLo); // narrower first
        return c != 0 ? c : Integer.compare(a.order, b.order);
      };

  /** True when the ranges, in the given order, are sorted by start and do not overlap. */
  static boolean disjointAndSorted(List<Range> ranges) {
    for (int i = 1; i < ranges.size(); i++) {
      Range p = ranges.get(i - 1);
      Range r = ranges.get(i);
      if (compare(p.endHi, p.endLo, r.startHi, r.startLo) >= 0) {
        return false;
      }
    }
    return true;
  }

  static List<Range> flatten(List<Range> input) {
    if (disjointAndSorted(input)) {
      return input; // the published files: nothing to do
    }
    PriorityQueue<Range> queue = new PriorityQueue<>(Math.max(1, input.size()), ORDER);
    queue.addAll(input);
    List<Range> out = new ArrayList<>(input.size());
    while (!queue.isEmpty()) {
      Range cur = queue.poll();
      if (!out.isEmpty()) {
        Range last = out.get(out.size() - 1);
        if (compare(cur.startHi, cur.startLo, last.endHi, last.endLo) <= 0) {
          if (cur.startHi == last.startHi && cur.startLo == last.startLo) {
            // Same start: the narrower one was emitted; the wider resumes after it, if at all.
            if (compare(cur.endHi, cur.endLo, last.endHi, last.endLo) <= 0) {
              continue;
            }
            cur.startLo = last.endLo + 1;
            cur.startHi = last.endLo == -1L ? last.endHi + 1 : last.endHi;
            queue.add(cur);
            continue;
          }
          // cur starts inside last: last stops just before it and resumes after it, if longer.
          long lastEndHi = last.endHi;
          long lastEndLo = last.endLo;
          last.endLo = cur.startLo - 1;
          last.endHi = cur.startLo == 0 ? cur.startHi - 1 : cur.startHi;
          if (compare(lastEndHi, lastEndLo, cur.endHi, cur.endLo) > 0) {
            long resumeLo = cur.endLo + 1;
            long resumeHi = cur.endLo == -1L ? cur.endHi + 1 : cur.endHi;
            queue.add(new Range(resumeHi, resumeLo, lastEndHi, lastEndLo, last.asn, last.order));
          }
        }
      }
      out.add(cur);
    }
    return out;
  }
}
