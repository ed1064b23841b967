package io.fluxguard.pipeline;

import java.util.Locale;

/** Where the answer to a query came from; a bounded set, usable as a metric tag. */
public enum Outcome {
  CACHE_HIT,
  UPSTREAM,
  /** Answered by a policy before or after resolution (block lists, flux verdicts). */
  POLICY,
  /** Not answered at all, by a policy (RPZ rpz-drop). The RCODE tag of these is meaningless. */
  POLICY_DROP,
  /** SERVFAIL because no upstream answered in time. */
  UPSTREAM_FAILED,
  /** FORMERR, NOTIMP, BADVERS or REFUSED without resolving. */
  REJECTED,
  /** SERVFAIL because of a fault inside fluxguard. */
  INTERNAL_ERROR;

  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
