package io.fluxguard.policy.lists;

import io.fluxguard.policy.Action;
import io.fluxguard.policy.Rule;
import io.fluxguard.policy.Source;
import io.fluxguard.policy.match.NameMatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Reads a Response Policy Zone (draft-vixie-dnsop-dns-rpz) with dnsjava's zone-file parser. The
 * zone's apex is its SOA owner; every other owner is a trigger relative to it:
 *
 * <ul>
 *   <li>QNAME triggers: {@code evil.example} (that name), {@code *.evil.example} (names under it);
 *   <li>{@code rpz-ip} triggers on answer addresses: {@code 24.0.2.0.192.rpz-ip} is
 *       192.0.2.0/24, {@code 48.zz.db8.2001.rpz-ip} is 2001:db8::/48.
 * </ul>
 *
 * Actions, from the trigger's records: {@code CNAME .} NXDOMAIN, {@code CNAME *.} NODATA,
 * {@code CNAME rpz-passthru.} PASSTHRU, {@code CNAME rpz-drop.} DROP; anything else is local data
 * answered instead. NSDNAME, NSIP and client-IP triggers and {@code rpz-tcp-only} are not
 * supported: those triggers are skipped and reported with their line's owner.
 */
final class RpzReader {
  private static final Name PASSTHRU = Name.fromConstantString("rpz-passthru.");
  private static final Name DROP = Name.fromConstantString("rpz-drop.");
  private static final Name TCP_ONLY = Name.fromConstantString("rpz-tcp-only.");
  private static final Name WILD = Name.fromConstantString("*.");

  private RpzReader() {}

  static void read(Path path, ListReader.Collector c) throws ListLoadException {
    Name apex = null;
    Map<Name, List<Record>> triggers = new LinkedHashMap<>();
    try (Master zone = new Master(path.toString())) {
      Record r;
      while ((r = zone.nextRecord()) != null) {
        if (r instanceof SOARecord) {
          if (apex == null) {
            apex = r.getName();
          }
          continue;
        }
        if (r.getType() == Type.NS && apex != null && r.getName().equals(apex)) {
          continue; // the zone's own NS set
        }
        triggers.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
      }
    } catch (IOException | RuntimeException e) {
      // dnsjava names the file without its directory ("name:line: reason"): give the whole path.
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      String file = path.getFileName().toString();
      throw new ListLoadException(m.startsWith(file + ":") ? path + m.substring(file.length()) : path + ": " + m, e);
    }
    if (apex == null) {
      throw new ListLoadException(path + ": not a response policy zone: no SOA record");
    }
    for (Map.Entry<Name, List<Record>> t : triggers.entrySet()) {
      trigger(apex, t.getKey(), t.getValue(), c);
    }
  }

  private static void trigger(Name apex, Name owner, List<Record> records, ListReader.Collector c) {
    if (!owner.subdomain(apex)) {
      c.problem(0, "owner " + owner + " is outside the zone " + apex);
      return;
    }
    String relative = owner.relativize(apex).toString(true).toLowerCase(java.util.Locale.ROOT);
    Rule rule = rule(owner, records, c);
    if (rule == null) {
      return;
    }
    int id = c.rule(rule);
    if (relative.endsWith(".rpz-ip")) {
      String cidr = cidr(relative.substring(0, relative.length() - ".rpz-ip".length()));
      if (cidr == null) {
        c.problem(0, "bad rpz-ip trigger: " + owner);
      } else {
        c.address(cidr, id, 0, "rpz-ip trigger " + owner + ": ");
      }
    } else if (relative.endsWith(".rpz-nsdname") || relative.endsWith(".rpz-nsip") || relative.endsWith(".rpz-client-ip")) {
      c.problem(0, "trigger not supported (NSDNAME, NSIP and client-IP triggers are not): " + owner);
    } else if (relative.startsWith("*.")) {
      c.name(relative.substring(2), NameMatch.BELOW, id, 0);
    } else {
      c.name(relative, NameMatch.EXACT, id, 0);
    }
  }

  private static Rule rule(Name owner, List<Record> records, ListReader.Collector c) {
    if (records.size() == 1 && records.get(0) instanceof CNAMERecord cname) {
      Name target = cname.getTarget();
      Action action = null;
      if (target.equals(Name.root)) {
        action = Action.NXDOMAIN;
      } else if (target.equals(WILD)) {
        action = Action.NODATA;
      } else if (target.equals(PASSTHRU)) {
        action = Action.PASSTHRU;
      } else if (target.equals(DROP)) {
        action = Action.DROP;
      } else if (target.equals(TCP_ONLY)) {
        c.problem(0, "rpz-tcp-only is not supported: " + owner);
        return null;
      }
      if (action != null) {
        return Rule.of(Source.LISTS, c.listName(), action);
      }
    }
    return new Rule(Source.LISTS, c.listName(), Action.LOCAL_DATA, records);
  }

  /** "24.0.2.0.192" → "192.0.2.0/24"; "48.zz.db8.2001" → "2001:db8::/48"; null if malformed. */
  static String cidr(String reversed) {
    String[] labels = reversed.split("\\.");
    if (labels.length < 2) {
      return null;
    }
    String length = labels[0];
    List<String> parts = new ArrayList<>();
    for (int i = labels.length - 1; i >= 1; i--) {
      parts.add(labels[i]);
    }
    boolean v4 = labels.length == 5 && parts.stream().allMatch(p -> p.matches("[0-9]{1,3}"));
    if (v4) {
      return String.join(".", parts) + "/" + length;
    }
    String text = String.join(":", parts).replace("zz", "");
    if (text.isEmpty()) {
      return "::/" + length; // the zero address: all of it was the "zz" run
    }
    if (text.startsWith(":")) {
      text = ":" + text;
    }
    if (text.endsWith(":")) {
      text = text + ":";
    }
    return text.replace(":::", "::") + "/" + length;
  }
}
