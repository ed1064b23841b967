package io.fluxguard.policy.match;

/**
 * How a list entry covers names. {@code SUBTREE} is the blocklist convention (Blocky, AdGuard's
 * {@code ||name^}): the name and every name under it. {@code EXACT} is hosts-file and RPZ
 * semantics for a plain owner. {@code BELOW} is a {@code *.name} wildcard: names under it, not the
 * name itself (RPZ, RFC 4592).
 */
public enum NameMatch {
  EXACT,
  SUBTREE,
  BELOW
}
