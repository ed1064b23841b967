package io.fluxguard.upstream;

/** What the forwarder reports; implemented by the metrics layer, and by plain fakes in tests. */
public interface UpstreamEvents {
  UpstreamEvents NONE = new UpstreamEvents() {};

  default void attempt(Upstream upstream, UpstreamOutcome outcome, long nanos) {}

  default void healthChanged(Upstream upstream, boolean up) {}

  /** No upstream produced an answer within the overall bound. */
  default void exhausted() {}
}
