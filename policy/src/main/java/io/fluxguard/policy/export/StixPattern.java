package io.fluxguard.policy.export;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * STIX 2.1 patterns (§9, STIX Patterning) for a name and, optionally, its evidence addresses.
 *
 * <p>A name and everything under it: {@code [domain-name:value = 'evil.example' OR
 * domain-name:value LIKE '%.evil.example']}. LIKE has no escape for its wildcards {@code _} and
 * {@code %} (§9), so a name holding either gets the equality alone rather than a LIKE that
 * would also match other domains. Each address is its own observation expression,
 * {@code [ipv4-addr:value = '192.0.2.1']} (or {@code ipv6-addr}), joined by {@code OR}: observation
 * expressions of different object types are not mixed inside one pair of brackets.
 */
final class StixPattern {
  private StixPattern() {}

  /** The pattern for a name alone. */
  static String forName(String name) {
    return forName(name, List.of());
  }

  /** The pattern for a name and the addresses (text; those that do not parse are left out). */
  static String forName(String name, List<String> addresses) {
    StringBuilder pattern = new StringBuilder("[domain-name:value = ").append(literal(name));
    if (name.indexOf('_') < 0 && name.indexOf('%') < 0) {
      pattern.append(" OR domain-name:value LIKE ").append(literal("%." + name));
    }
    pattern.append(']');
    for (InetAddress a : sorted(addresses)) {
      String type = a instanceof Inet4Address ? "ipv4-addr" : "ipv6-addr";
      pattern.append(" OR [").append(type).append(":value = ")
          .append(literal(InetAddresses.toAddrString(a))).append(']');
    }
    return pattern.toString();
  }

  /**
   * A string constant: in single quotes, with {@code \} and {@code '} escaped by a backslash, the
   * only two escapes the grammar has (§9).
   */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static Iterable<InetAddress> sorted(List<String> addresses) {
    Map<byte[], InetAddress> byBytes =
        new TreeMap<>(Comparator.comparingInt((byte[] b) -> b.length).thenComparing(Arrays::compareUnsigned));
    for (String text : addresses) {
      try {
        InetAddress a = InetAddresses.forString(text.strip());
        byBytes.put(a.getAddress(), a);
      } catch (IllegalArgumentException e) {
        // not an address: nothing to match on
      }
    }
    return byBytes.values();
  }
}
