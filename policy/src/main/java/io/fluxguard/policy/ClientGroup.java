package io.fluxguard.policy;

import java.util.List;
import java.util.Set;

/**
 * Clients by network, and the sources that apply to them ({@code policy.client-groups.<name>}):
 * for example an analysts' subnet to which only allow rules apply, so it is never blocked.
 *
 * @param name the group's name
 * @param networks CIDRs or addresses (text)
 * @param sources the sources that apply to its clients
 */
public record ClientGroup(String name, List<String> networks, Set<Source> sources) {
  public ClientGroup {
    networks = List.copyOf(networks);
    sources = Set.copyOf(sources);
  }
}
