package io.fluxguard.acl;

import io.fluxguard.policy.match.AddressIndex;
import java.net.InetAddress;

/** Whether a client may query: its address in one of {@code acl.allow}'s networks (longest match). */
public final class AccessControl {
  private final AddressIndex allowed;
  private final AclSettings settings;

  public AccessControl(AclSettings settings) {
    this.settings = settings;
    AddressIndex.Builder b = new AddressIndex.Builder(settings.allow().size());
    for (String network : settings.allow()) {
      b.add(network, 0);
    }
    this.allowed = b.build();
  }

  /** True for an allowed client; a null client (not known) is allowed. */
  public boolean allows(InetAddress client) {
    return client == null || allowed.match(client) >= 0;
  }

  public AclSettings.Action action() {
    return settings.action();
  }
}
