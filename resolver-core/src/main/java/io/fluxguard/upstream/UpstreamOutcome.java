package io.fluxguard.upstream;

import java.util.Locale;

/** How one attempt at one upstream ended; a bounded set, usable as a metric tag. */
public enum UpstreamOutcome {
  /** A validated answer with NOERROR or NXDOMAIN. */
  ANSWER,
  /** A validated answer whose RCODE (SERVFAIL, REFUSED, ...) sends us to the next upstream. */
  RCODE_FAILURE,
  /** No answer within the attempt timeout. */
  TIMEOUT,
  /** The answer did not match the query (ID, question) or did not parse (RFC 5452). */
  INVALID,
  /** A socket error. */
  IO_ERROR;

  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
