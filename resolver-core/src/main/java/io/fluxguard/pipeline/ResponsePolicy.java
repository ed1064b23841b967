package io.fluxguard.pipeline;

import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.protocol.ClientQuery;
import java.net.InetAddress;

/**
 * The decision taken on every answer, cached or fresh (DESIGN.md: CNAME chain, answer addresses,
 * flux verdict). It sees the upstream answer, never a rewritten one, so a policy change applies
 * on the next query without a cache flush.
 */
@FunctionalInterface
public interface ResponsePolicy {
  ResponsePolicy ALLOW_ALL = (query, client, answer, maxSize) -> null;

  /** What to give instead of {@code answer} (an answer, or a drop), or null to serve it. */
  Intercept afterResolve(ClientQuery query, InetAddress client, CachedAnswer answer, int maxSize);
}
