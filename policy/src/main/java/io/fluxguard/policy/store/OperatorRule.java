package io.fluxguard.policy.store;

import java.time.Instant;

/**
 * An operator's allow or deny rule: a name and every name under it.
 *
 * @param kind {@code allow} or {@code deny}
 * @param name the name (lower case, no trailing dot)
 * @param created when it was made
 * @param comment why (free text; may be empty)
 * @param origin {@code config} (from the configuration file, not stored) or {@code api}
 */
public record OperatorRule(String kind, String name, Instant created, String comment, String origin) {
  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
}
