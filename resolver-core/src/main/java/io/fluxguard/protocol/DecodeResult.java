package io.fluxguard.protocol;

/** What the front end does with one received packet. */
public sealed interface DecodeResult {

  /** Not answered at all: too short to carry a header, or a response (QR=1). */
  record Drop(DropReason reason) implements DecodeResult {}

  /** Answered at once without resolving: FORMERR, NOTIMP, BADVERS, REFUSED (the full RCODE). */
  record Reject(RejectReason reason, int rcode, byte[] answer) implements DecodeResult {}

  /** A well-formed query to resolve. */
  record Query(ClientQuery query) implements DecodeResult {}

  enum DropReason {
    SHORT,
    RESPONSE,
    /** A client outside {@code acl.allow}, with {@code acl.action: drop}. */
    ACL,
    /** A client over its rate limit, with {@code rate-limit.action: drop}. */
    RATE_LIMIT;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  enum RejectReason {
    MALFORMED,
    QDCOUNT,
    /** TC set, an answer or authority record, or an additional record other than one OPT: FORMERR. */
    HEADER,
    OPCODE,
    EDNS_VERSION,
    QTYPE,
    /** A client outside {@code acl.allow}: REFUSED (RFC 1035 §4.1.1). */
    ACL,
    /** A client over its rate limit, answered TC=1 and nothing else ({@code rate-limit.action: slip}). */
    RATE_LIMIT;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
