package io.fluxguard.detector.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

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
    // dnsjava keeps sections as linked lists behind unmodifiable views: copy each section read
    // into an array once, and read the authority and additional sections only when needed.
    Record[] answers = answer.getSection(Section.ANSWER).toArray(NO_RECORDS);
    boolean cnames = false;
    boolean nsInAnswer = false;
    for (Record r : answers) {
      cnames |= r.getType() == Type.CNAME;
      nsInAnswer |= r.getType() == Type.NS;
    }
    Name owner = question;
    List<String> chain = List.of();
    if (cnames) {
      List<String> hops = new ArrayList<>(2);
      for (int hop = 0; hop < MAX_CHAIN; hop++) { // bounded: loops and long chains stop
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
        hops.add(text(next));
      }
      chain = List.copyOf(hops);
    }
    long[] keys = new long[answers.length];
    int n = 0;
    long ttl = Long.MAX_VALUE;
    for (Record r : answers) {
      int type = r.getType();
      // Without a CNAME every address record answers the question itself (the upstream's
      // question was checked against ours), so the name comparison is needed only with one.
      if ((type == Type.A || type == Type.AAAA) && (!cnames || r.getName().equals(owner))) {
        // The RDATA is the address itself; getAddress() would also format the owner name.
        keys[n++] = AddressKey.of(r.rdataToWireCanonical());
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    // NS names: an NS answer, or the authority section of a referral-style answer.
    Name nsZone = null;
    List<Name> ns = null;
    Record[] nsSource = nsInAnswer
        ? answers
        : answer.getHeader().getCount(Section.AUTHORITY) > 0 ? answer.getSection(Section.AUTHORITY).toArray(NO_RECORDS) : NO_RECORDS;
    for (Record r : nsSource) {
      if (r instanceof NSRecord nsr && (nsZone == null || nsr.getName().equals(nsZone))) {
        nsZone = nsr.getName();
        if (ns == null) {
          ns = new ArrayList<>(4);
        }
        ns.add(nsr.getTarget());
      }
    }
    int[] nsHashes = NO_HASHES;
    long[] glue = NO_KEYS;
    if (ns != null) {
      nsHashes = new int[ns.size()];
      for (int i = 0; i < ns.size(); i++) {
        nsHashes[i] = text(ns.get(i)).hashCode();
      }
      Record[] additional = answer.getSection(Section.ADDITIONAL).toArray(NO_RECORDS);
      glue = new long[additional.length];
      int g = 0;
      for (Record r : additional) {
        int type = r.getType();
        if ((type == Type.A || type == Type.AAAA) && ns.contains(r.getName())) {
          glue[g++] = AddressKey.of(r.rdataToWireCanonical());
        }
      }
      glue = Arrays.copyOf(glue, g);
    }
    String questionText = text(question);
    return new AnswerObservation(
        questionText,
        owner == question ? questionText : text(owner),
        chain,
        n == keys.length ? keys : Arrays.copyOf(keys, n),
        n == 0 ? 0 : (int) Math.min(ttl, Integer.MAX_VALUE),
        nsZone == null ? null : text(nsZone),
        nsHashes,
        glue);
  }

  private static final Record[] NO_RECORDS = new Record[0];
  private static final int[] NO_HASHES = new int[0];
  private static final long[] NO_KEYS = new long[0];

  /**
   * Lower case, no trailing dot: straight from the canonical wire form when every byte is a plain
   * host-name character (nearly always), else through dnsjava's escaping {@code toString}.
   */
  public static String text(Name name) {
    byte[] wire = name.toWireCanonical(); // lower case
    int n = wire.length - 1; // without the root label
    if (n <= 0) {
      return "";
    }
    byte[] out = new byte[n - 1];
    int pos = 0;
    int o = 0;
    while (pos < wire.length && wire[pos] != 0) {
      int len = wire[pos++];
      if (o > 0) {
        out[o++] = '.';
      }
      for (int i = 0; i < len; i++) {
        byte b = wire[pos++];
        if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_')) {
          return slowText(name);
        }
        out[o++] = b;
      }
    }
    return new String(out, 0, o, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String slowText(Name name) {
    String s = name.toString(true).toLowerCase(Locale.ROOT);
    return s;
  }
}
