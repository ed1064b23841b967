package io.fluxguard.detector.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What the detector takes from one upstream answer: the CNAME chain from the question to the
 * name holding the addresses, those addresses and their TTL, and any NS names with glue (from the
 * answer, authority and additional sections) for double flux.
 *
 * @param question the name asked for
 * @param owner the name holding the A/AAAA records (the question, or the end of its CNAME chain)
 * @param chain the CNAME targets followed, in order
 * @param addressKeys the owner's addresses as {@link AddressKey}s
 * @param ttl the smallest TTL of those address records
 * @param nsZone the zone whose NS set the answer carried, or null
 * @param nsHashes hashes of those NS names
 * @param glueKeys address keys of the NS names' glue
 */
public record AnswerObservation(
    String question,
    String owner,
    List<String> chain,
    long[] addressKeys,
    int ttl,
    String nsZone,
    int[] nsHashes,
    long[] glueKeys) {

  private static final int MAX_CHAIN = 16;

  public boolean hasAddresses() {
    return addressKeys.length > 0;
  }

  public boolean hasNameServers() {
    return nsZone != null && nsHashes.length > 0;
  }

  /** Reads an upstream answer to {@code question}. Never throws on odd answers. */
  public static AnswerObservation from(Name question, Message answer) {
    Name owner = question;
    List<String> chain = new ArrayList<>(2);
    List<Record> answers = answer.getSection(Section.ANSWER);
    // Follow the CNAME chain from the question (bounded: loops and long chains stop).
    for (int hops = 0; hops < MAX_CHAIN; hops++) {
      Name next = null;
      for (Record r : answers) {
        if (r instanceof CNAMERecord c && r.getName().equals(owner)) {
          next = c.getTarget();
          break;
        }
      }
      if (next == null) {
        break;
      }
      owner = next;
      chain.add(text(next));
    }
    long[] keys = new long[answers.size()];
    int n = 0;
    long ttl = Long.MAX_VALUE;
    for (Record r : answers) {
      if (!r.getName().equals(owner)) {
        continue;
      }
      if (r instanceof ARecord a) {
        keys[n++] = AddressKey.of(a.getAddress());
        ttl = Math.min(ttl, r.getTTL());
      } else if (r instanceof AAAARecord a) {
        keys[n++] = AddressKey.of(a.getAddress());
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    // NS names: an NS answer, or the authority section of a referral-style answer.
    Name nsZone = null;
    List<Name> ns = new ArrayList<>(4);
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : answer.getSection(section)) {
        if (r instanceof NSRecord nsr && (nsZone == null || nsr.getName().equals(nsZone))) {
          nsZone = nsr.getName();
          ns.add(nsr.getTarget());
        }
      }
      if (nsZone != null) {
        break;
      }
    }
    int[] nsHashes = new int[ns.size()];
    for (int i = 0; i < ns.size(); i++) {
      nsHashes[i] = text(ns.get(i)).hashCode();
    }
    long[] glue = new long[0];
    if (!ns.isEmpty()) {
      List<Record> additional = answer.getSection(Section.ADDITIONAL);
      glue = new long[additional.size()];
      int g = 0;
      for (Record r : additional) {
        if (ns.contains(r.getName())) {
          if (r instanceof ARecord a) {
            glue[g++] = AddressKey.of(a.getAddress());
          } else if (r instanceof AAAARecord a) {
            glue[g++] = AddressKey.of(a.getAddress());
          }
        }
      }
      glue = java.util.Arrays.copyOf(glue, g);
    }
    return new AnswerObservation(
        text(question),
        text(owner),
        List.copyOf(chain),
        java.util.Arrays.copyOf(keys, n),
        n == 0 ? 0 : (int) Math.min(ttl, Integer.MAX_VALUE),
        nsZone == null ? null : text(nsZone),
        nsHashes,
        glue);
  }

  /** Lower case, no trailing dot. */
  static String text(Name name) {
    String s = name.toString(true).toLowerCase(Locale.ROOT);
    return s;
  }
}
