package io.fluxguard.pipeline;

import io.fluxguard.protocol.ClientQuery;

/**
 * The decision taken before any upstream traffic (DESIGN.md: block lists, RPZ, names already known
 * to be flux). The policy and sinkhole modules plug in here.
 */
@FunctionalInterface
public interface QueryPolicy {
  QueryPolicy ALLOW_ALL = (query, maxSize) -> null;

  /** The answer to give instead of resolving, or null to resolve normally. */
  byte[] beforeResolve(ClientQuery query, int maxSize);
}
