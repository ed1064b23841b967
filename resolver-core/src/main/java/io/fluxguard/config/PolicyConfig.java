package io.fluxguard.config;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.ClientGroup;
import io.fluxguard.policy.Mode;
import io.fluxguard.policy.PolicySettings;
import io.fluxguard.policy.Source;
import io.fluxguard.policy.lists.ListFormat;
import io.fluxguard.policy.lists.ListSettings;
import io.fluxguard.policy.match.AddressIndex;
import io.fluxguard.sinkhole.SinkholeSettings;
import io.fluxguard.sinkhole.listener.SinkholeListenerSettings;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code policy:} and {@code sinkhole:} sections (keys documented in config/fluxguard.yml). */
final class PolicyConfig {
  private PolicyConfig() {}

  static PolicySettings policy(ConfigReader r) {
    PolicySettings d = PolicySettings.DEFAULTS;
    Map<Source, Mode> modes = new EnumMap<>(Source.class);
    for (Source s : Source.values()) {
      if (s == Source.LISTS) {
        modes.put(s, Mode.ENFORCE); // each list has its own mode
        continue;
      }
      String key = "policy.modes." + s.key();
      Mode m = r.choice(key, d.mode(s), Mode.values());
      if (s == Source.ALLOW && m == Mode.MONITOR) {
        r.problem(key, "policy.modes.allow is enforce or off (an allow rule has nothing to monitor)");
      }
      modes.put(s, m);
    }
    List<String> allow = r.list("policy.allow", d.allow(), "a domain name", PolicyConfig::domain);
    List<String> deny = r.list("policy.deny", d.deny(), "a domain name", PolicyConfig::domain);
    List<ListSettings> lists = new ArrayList<>();
    for (String name : r.childNames("policy.lists")) {
      String k = "policy.lists." + name + ".";
      Path path = r.value(k + "path", null, "a list file", Path::of);
      ListFormat format = r.choice(k + "format", ListFormat.AUTO, ListFormat.values());
      Mode mode = r.choice(k + "mode", Mode.ENFORCE, Mode.values());
      // the actions a list may set for all its entries
      Action action = r.choice(k + "action", Action.SINKHOLE, Action.SINKHOLE, Action.NXDOMAIN, Action.NODATA, Action.DROP);
      if (path == null) {
        r.problem("policy.lists." + name, k + "path is required: the list's file");
        continue;
      }
      lists.add(new ListSettings(name, path, format, mode, action));
    }
    Duration check = r.duration("policy.list-check-interval", d.listCheckInterval(), Duration.ofSeconds(1), Duration.ofDays(1));
    List<ClientGroup> groups = new ArrayList<>();
    for (String name : r.childNames("policy.client-groups")) {
      String k = "policy.client-groups." + name + ".";
      List<String> networks = r.list(k + "networks", List.of(), "an address or CIDR like 10.9.0.0/24", PolicyConfig::network);
      List<Source> sources = r.choices(k + "sources", List.copyOf(EnumSet.allOf(Source.class)), Source.values());
      if (networks.isEmpty()) {
        r.problem(k + "networks", k + "networks needs at least one address or CIDR");
      }
      groups.add(new ClientGroup(name, networks, sources.isEmpty() ? Set.of() : EnumSet.copyOf(sources)));
    }
    Duration expiry = r.duration("policy.detection-expiry", d.detectionExpiry(), Duration.ofMinutes(1), Duration.ofDays(365));
    return new PolicySettings(modes, allow, deny, lists, check, groups, expiry);
  }

  static SinkholeSettings sinkhole(ConfigReader r) {
    SinkholeSettings d = SinkholeSettings.DEFAULTS;
    Inet4Address v4 = r.value("sinkhole.ipv4", d.ipv4(), "an IPv4 address", t -> {
      if (InetAddressesText.parse(t) instanceof Inet4Address a) {
        return a;
      }
      throw new IllegalArgumentException("not an IPv4 address");
    });
    Inet6Address v6 = r.value("sinkhole.ipv6", d.ipv6(), "an IPv6 address", t -> {
      if (InetAddressesText.parse(t) instanceof Inet6Address a) {
        return a;
      }
      throw new IllegalArgumentException("not an IPv6 address");
    });
    Duration ttl = r.duration("sinkhole.ttl", d.ttl(), Duration.ZERO, Duration.ofDays(1));
    Duration negative = r.duration("sinkhole.negative-ttl", d.negativeTtl(), Duration.ZERO, Duration.ofDays(1));
    return new SinkholeSettings(v4, v6, ttl, negative);
  }

  static SinkholeListenerSettings listener(ConfigReader r) {
    SinkholeListenerSettings d = SinkholeListenerSettings.DEFAULTS;
    String hint = "an address like 192.0.2.53:80 or [2001:db8::53]:80";
    List<InetSocketAddress> http = r.list("sinkhole.http-listen", List.of(), hint, t -> HostPort.parse(t, 80));
    List<InetSocketAddress> tls = r.list("sinkhole.tls-listen", List.of(), hint, t -> HostPort.parse(t, 443));
    String contact = r.value("sinkhole.contact", d.contact(), "a text", t -> t);
    int maxHits = r.integer("sinkhole.max-hits", d.maxHits(), 1, 10_000_000);
    Duration idle = r.duration("sinkhole.idle-timeout", d.idleTimeout(), Duration.ofMillis(10), Duration.ofHours(1));
    int maxConnections = r.integer("sinkhole.max-connections", d.maxConnections(), 1, 1_000_000);
    List<SinkholeListenerSettings.Endpoint> endpoints = new ArrayList<>();
    http.forEach(a -> endpoints.add(SinkholeListenerSettings.Endpoint.http(a)));
    tls.forEach(a -> endpoints.add(SinkholeListenerSettings.Endpoint.tls(a)));
    try {
      return new SinkholeListenerSettings(endpoints, contact, maxHits, idle, maxConnections);
    } catch (IllegalArgumentException e) {
      r.problem("sinkhole", e.getMessage());
      return d;
    }
  }

  private static String domain(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.isEmpty() || !t.matches("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*")) {
      throw new IllegalArgumentException("not a domain name");
    }
    return t;
  }

  /** An address or CIDR, checked as the address lists check theirs. */
  static String network(String text) {
    String t = text.trim();
    new AddressIndex.Builder(1).add(t, 0); // throws with what is wrong
    return t;
  }

  /** IP literals only: never a DNS lookup while reading configuration. */
  private static final class InetAddressesText {
    static InetAddress parse(String text) {
      try {
        return com.google.common.net.InetAddresses.forString(text.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an IP address");
      }
    }
  }
}
