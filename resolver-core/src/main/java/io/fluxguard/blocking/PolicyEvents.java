package io.fluxguard.blocking;

import io.fluxguard.policy.Decision;

/** What the policy gate reports for metrics (implemented with Micrometer in {@code metrics}). */
public interface PolicyEvents {
  /** A source matched: blocked (enforce) or would have blocked (monitor). */
  void decided(Decision decision);
}
