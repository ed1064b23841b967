package io.fluxguard.cache;

import io.fluxguard.protocol.ClientQuery;
import org.xbill.DNS.Name;

/**
 * What makes two questions share one cached answer. dnsjava's {@link Name} compares and hashes
 * without regard to letter case, so the key is case-insensitive as DNS names are (RFC 4343).
 * The CD bit is part of the key so that data fetched with validation disabled is never served
 * to a client that relies on its upstream's validation.
 */
public record CacheKey(Name name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled) {

  public static CacheKey of(ClientQuery query) {
    return new CacheKey(
        query.name(), query.type(), query.dclass(), query.dnssecOk(), query.checkingDisabled());
  }
}
