package io.fluxguard.pipeline;

import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.protocol.ClientQuery;

/**
 * The decision taken on every answer, cached or fresh (DESIGN.md: CNAME chain, answer addresses,
 * flux verdict). It sees the upstream answer, never a rewritten one, so a policy change applies
 * on the next query without a cache flush.
 */
@FunctionalInterface
public interface ResponsePolicy {
  ResponsePolicy ALLOW_ALL = (query, answer, maxSize) -> null;

  /** The answer to give instead of {@code answer}, or null to serve it. */
  byte[] afterResolve(ClientQuery query, CachedAnswer answer, int maxSize);
}
