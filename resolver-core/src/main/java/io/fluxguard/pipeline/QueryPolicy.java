package io.fluxguard.pipeline;

import io.fluxguard.protocol.ClientQuery;
import java.net.InetAddress;

/**
 * The decision taken before any upstream traffic (DESIGN.md: block lists, RPZ, names already known
 * to be flux). The policy and sinkhole modules plug in here.
 */
@FunctionalInterface
public interface QueryPolicy {
  QueryPolicy ALLOW_ALL = (query, client, maxSize) -> null;

  /**
   * What to do instead of resolving: null to resolve normally, {@link Intercept#ALLOWED} to
   * resolve and skip the response policy, or an answer (or drop).
   */
  Intercept beforeResolve(ClientQuery query, InetAddress client, int maxSize);
}
