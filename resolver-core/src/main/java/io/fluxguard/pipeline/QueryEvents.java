package io.fluxguard.pipeline;

import io.fluxguard.protocol.DecodeResult;

/**
 * What the front end and pipeline report about queries; implemented by the metrics layer, and by
 * plain fakes in tests, so the core does not import Micrometer.
 */
public interface QueryEvents {
  QueryEvents NONE = new QueryEvents() {};

  default void dropped(Transport transport, DecodeResult.DropReason reason) {}

  default void rejected(Transport transport, DecodeResult.RejectReason reason) {}

  /** A query was answered (including rejections); {@code nanos} from receipt to answer built. */
  default void answered(Transport transport, int qtype, int rcode, Outcome outcome, long nanos) {}

  /** A query joined an identical upstream query already in flight. */
  default void coalesced() {}

  /** Records outside the question's bailiwick were removed from an upstream answer. */
  default void scrubbed(int records) {}

  /** A question was answered SERVFAIL at once: upstream.max-inflight exchanges were in flight. */
  default void upstreamOverloaded() {}

  /** A TCP connection was refused because the connection cap was reached. */
  default void tcpConnectionRefused() {}
}
