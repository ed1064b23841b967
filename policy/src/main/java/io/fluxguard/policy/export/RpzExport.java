package io.fluxguard.policy.export;

import com.google.common.net.InetAddresses;
import io.fluxguard.policy.store.Detection;
import io.fluxguard.policy.store.OperatorRule;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;

/**
 * Writes detections and deny rules as a Response Policy Zone (draft-vixie-dnsop-dns-rpz, "Zone
 * Format"), in master-file text (RFC 1035 §5.1), for another resolver to load or transfer.
 *
 * <ul>
 *   <li>Each name becomes two QNAME triggers ("QNAME Trigger"): {@code name CNAME .} and
 *       {@code *.name CNAME .}, the NXDOMAIN action ("The NXDOMAIN Action"), because a detection
 *       or deny rule covers the name and every name under it.
 *   <li>With {@code includeAddresses}, each evidence address of a detection becomes a Response IP
 *       Address trigger ({@code 32.d.c.b.a.rpz-ip CNAME .}; IPv6 as {@code 128.…zz….rpz-ip}),
 *       once however many detections share it.
 *   <li>A comment line before each pair gives the score, times and reasons, cut to one line of
 *       printable ASCII so nothing in a reason can end the comment or start a record.
 * </ul>
 *
 * Names are parsed and printed by dnsjava's {@link Name}, which escapes what zone text must
 * ({@code \;}, {@code \"}, {@code \032}…). A name that is not a DNS name, or too long once the
 * zone is appended (RFC 1035 §2.3.4), is left out with a comment saying why.
 *
 * <p>The SOA serial is the export time in seconds since 1970, modulo 2^32 (RFC 1982 serial
 * arithmetic). A YYYYMMDDnn serial would need a counter kept between exports, which a pure writer
 * has not; seconds grow with every export a second or more apart, and fit 32 bits until 2106.
 */
public final class RpzExport implements IndicatorExport {
  /** TTL of every record; an RPZ answer carries it, so a blocked name is not cached long. */
  static final long TTL = 300;
  private static final long REFRESH = 3600;
  private static final long RETRY = 600;
  private static final long EXPIRE = 604_800;
  private static final long MINIMUM = 60;
  private static final Name HOST = Name.fromConstantString("localhost.");
  private static final Name MAILBOX = Name.fromConstantString("root.localhost.");
  private static final Name WILDCARD = Name.fromConstantString("*");
  private static final int ADDRESS_NAMES_SHOWN = 3;

  private final Name zone;
  private final boolean includeAddresses;

  /**
   * @param zone the zone's name, e.g. {@code rpz.fluxguard.local} (a trailing dot is optional)
   * @param includeAddresses whether to add an {@code rpz-ip} trigger for each evidence address
   * @throws IllegalArgumentException if {@code zone} is not a domain name below the root
   */
  public RpzExport(String zone, boolean includeAddresses) {
    try {
      this.zone = Name.fromString(zone, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone must be a domain name, got \"" + zone + "\": " + e.getMessage(), e);
    }
    if (this.zone.equals(Name.root)) {
      throw new IllegalArgumentException("zone must be below the root, got \"" + zone + "\"");
    }
    this.includeAddresses = includeAddresses;
  }

  /** {@code text/dns}: DNS master-file text (RFC 4027). */
  @Override
  public String mediaType() {
    return "text/dns";
  }

  @Override
  public String write(List<Detection> detections, List<OperatorRule> rules, Instant now) {
    List<Detection> live = ExportItems.liveDetections(detections, now);
    List<OperatorRule> deny = ExportItems.denyRules(rules);
    StringBuilder out = new StringBuilder();
    comment(out, "fluxguard indicators, exported " + ExportItems.timestamp(now) + ": "
        + live.size() + " detections, " + deny.size() + " deny rules");
    out.append("$TTL ").append(TTL).append('\n');
    out.append("$ORIGIN ").append(zone).append('\n');
    record(out, new SOARecord(zone, DClass.IN, TTL, HOST, MAILBOX, serial(now), REFRESH, RETRY, EXPIRE, MINIMUM));
    record(out, new NSRecord(zone, DClass.IN, TTL, HOST));
    Set<Name> written = new HashSet<>();
    for (Detection d : live) {
      comment(out, "detection " + d.name() + " score=" + ExportItems.score(d.score())
          + " first-seen=" + ExportItems.timestamp(d.firstSeen())
          + " last-seen=" + ExportItems.timestamp(d.lastSeen())
          + " expires=" + ExportItems.timestamp(d.expires())
          + " source=" + d.source() + " reasons=" + String.join("; ", d.reasons()));
      nameTriggers(out, written, d.name());
    }
    for (OperatorRule r : deny) {
      comment(out, "deny rule " + r.name() + " created=" + ExportItems.timestamp(r.created())
          + " origin=" + r.origin() + " comment=" + r.comment());
      nameTriggers(out, written, r.name());
    }
    if (includeAddresses) {
      addressTriggers(out, live);
    }
    return out.toString();
  }

  /** Seconds since 1970 as an unsigned 32-bit serial (RFC 1982). */
  static long serial(Instant now) {
    return now.getEpochSecond() & 0xFFFF_FFFFL;
  }

  private void nameTriggers(StringBuilder out, Set<Name> written, String text) {
    Name owner;
    Name below;
    try {
      owner = Name.concatenate(relative(text), zone);
      below = Name.concatenate(WILDCARD, owner);
    } catch (IOException | IllegalArgumentException e) {
      comment(out, "left out: " + e.getMessage());
      return;
    }
    if (!written.add(owner)) {
      comment(out, "already listed above");
      return; // one CNAME per owner: two would be local data to an RPZ reader, not NXDOMAIN
    }
    record(out, new CNAMERecord(owner, DClass.IN, TTL, Name.root));
    record(out, new CNAMERecord(below, DClass.IN, TTL, Name.root));
  }

  /** The name as a relative dnsjava name, escapes in the text interpreted. */
  private static Name relative(String text) throws TextParseException {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) { // a label is octets: Name would keep only the low byte
        throw new TextParseException("not a DNS name (characters beyond one octet): " + text);
      }
    }
    Name name = text.isEmpty() ? Name.empty : Name.fromString(text);
    Name relative = name.isAbsolute() ? name.relativize(Name.root) : name;
    if (relative.labels() == 0) { // "", "." or "@": the zone's own apex, not a trigger
      throw new TextParseException("not a DNS name (empty): \"" + text + "\"");
    }
    return relative;
  }

  private void addressTriggers(StringBuilder out, List<Detection> live) {
    Map<byte[], List<String>> seenFor =
        new TreeMap<>(Comparator.comparingInt((byte[] a) -> a.length).thenComparing(Arrays::compareUnsigned));
    for (Detection d : live) {
      for (String text : d.addresses()) {
        InetAddress address = parse(text);
        if (address == null) {
          comment(out, "left out an address of " + d.name() + ": not an IP address: " + text);
        } else {
          seenFor.computeIfAbsent(address.getAddress(), k -> new ArrayList<>()).add(d.name());
        }
      }
    }
    if (seenFor.isEmpty()) {
      return;
    }
    comment(out, "evidence addresses: answers containing them are blocked");
    for (Map.Entry<byte[], List<String>> e : seenFor.entrySet()) {
      List<String> names = e.getValue();
      String shown = String.join(" ", names.subList(0, Math.min(ADDRESS_NAMES_SHOWN, names.size())));
      int more = names.size() - ADDRESS_NAMES_SHOWN;
      comment(out, InetAddresses.toAddrString(address(e.getKey())) + " seen for " + shown
          + (more > 0 ? " and " + more + " more" : ""));
      try {
        record(out, new CNAMERecord(Name.fromString(RpzAddressLabels.of(e.getKey()), zone), DClass.IN, TTL, Name.root));
      } catch (IOException ex) {
        comment(out, "left out: " + ex.getMessage()); // only a zone name near 255 octets gets here
      }
    }
  }

  private static InetAddress parse(String text) {
    try {
      return InetAddresses.forString(text.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // only for a length other than 4 or 16
    }
  }

  private static void record(StringBuilder out, Record r) {
    out.append(r).append('\n');
  }

  /** A comment line: one line of printable ASCII, whatever the text held. */
  static void comment(StringBuilder out, String text) {
    out.append("; ");
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      out.append(ch >= 0x20 && ch < 0x7f ? ch : ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : '?');
    }
    out.append('\n');
  }
}
