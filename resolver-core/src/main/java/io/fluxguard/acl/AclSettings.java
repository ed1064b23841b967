package io.fluxguard.acl;

import java.util.List;
import java.util.Locale;

/**
 * Who may query ({@code acl:} in the configuration). The default admits loopback, the private
 * ranges of RFC 1918, unique local IPv6 (RFC 4193) and link-local addresses — never the whole
 * Internet, so fluxguard is not an open resolver unless an operator says so.
 *
 * @param allow client networks (CIDRs or addresses) that may query
 * @param action what others get: {@code REFUSE} (an answer with RCODE REFUSED) or {@code DROP}
 */
public record AclSettings(List<String> allow, Action action) {
  public static final List<String> DEFAULT_ALLOW = List.of(
      "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "169.254.0.0/16", "fe80::/10");

  public static final AclSettings DEFAULTS = new AclSettings(DEFAULT_ALLOW, Action.REFUSE);

  public AclSettings {
    allow = List.copyOf(allow);
  }

  /** What a client outside the list gets. */
  public enum Action {
    REFUSE,
    DROP;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
