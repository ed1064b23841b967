package io.fluxguard.pipeline;

import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.policy.Decision;
import io.fluxguard.protocol.ClientQuery;
import java.net.InetAddress;

/**
 * The per-query log's seam: called once for every query answered (or dropped by a policy). An
 * implementation must not block or do I/O on the caller's thread. {@link #OFF} does nothing.
 */
public interface QueryLog {
  QueryLog OFF = new QueryLog() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public void record(Entry entry) {}
  };

  /** False when nothing is logged: the pipeline then builds no entries. */
  boolean enabled();

  void record(Entry entry);

  /**
   * One query.
   *
   * @param query the client's query
   * @param client the client's address, or null
   * @param transport UDP or TCP
   * @param rcode the answer's RCODE, or -1 when no answer was sent
   * @param outcome where the answer came from
   * @param nanos time from receipt to answer
   * @param answer the cached answer served (its upstream, its flux assessment), or null
   * @param decision the policy decision that changed the answer, or null
   */
  record Entry(
      ClientQuery query, InetAddress client, Transport transport, int rcode, Outcome outcome, long nanos,
      CachedAnswer answer, Decision decision) {}
}
