package io.fluxguard.detector.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Message;
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

  /**
   * Reads an upstream answer to {@code question} held as a dnsjava message: the message is written
   * to wire form with {@code question} as its question and read by {@link #fromWire}.
   */
  public static AnswerObservation from(Name question, Message answer) {
    Message m = new Message(0);
    m.addRecord(Record.newRecord(question, Type.A, DClass.IN), Section.QUESTION);
    for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
      for (Record r : answer.getSection(s)) {
        m.addRecord(r, s);
      }
    }
    return fromWire(m.toWire());
  }

  /**
   * Reads an upstream answer in wire form (the question first, names compressed or not), straight
   * from the bytes: no records are built and each address is read in place. Never throws: a
   * malformed message yields what was read before the fault (nothing, if it was in the question).
   */
  public static AnswerObservation fromWire(byte[] wire) {
    try {
      return new WireReader(wire).read();
    } catch (WireReader.Malformed | RuntimeException e) {
      return EMPTY;
    }
  }

  /** One pass over a message's records, keeping offsets; names are compared and read in place. */
  private static final class WireReader {
    /** Thrown (without a stack trace) when the message ends early or a name is malformed. */
    static final class Malformed extends Exception {
      Malformed() {
        super(null, null, false, false);
      }
    }

    private static final Malformed MALFORMED = new Malformed();
    private static final int MAX_RECORDS = 512;

    private final byte[] w;
    private int[] owner; // per record: owner name offset, type, TTL, RDATA offset and length
    private int[] type;
    private long[] ttl;
    private int[] rdata;
    private int[] rdlength;
    private int count;

    WireReader(byte[] wire) {
      this.w = wire;
    }

    AnswerObservation read() throws Malformed {
      if (w.length < 12 || u16(4) != 1) {
        throw MALFORMED; // one question, as every answer to a forwarded query has
      }
      int an = Math.min(u16(6), MAX_RECORDS);
      int ns = Math.min(u16(8), MAX_RECORDS);
      int ar = Math.min(u16(10), MAX_RECORDS);
      int question = 12;
      int pos = skipName(question) + 4;
      int total = an + ns + ar;
      owner = new int[total];
      type = new int[total];
      ttl = new long[total];
      rdata = new int[total];
      rdlength = new int[total];
      for (int i = 0; i < total && pos < w.length; i++) {
        owner[i] = pos;
        pos = skipName(pos);
        need(pos + 10);
        type[i] = u16(pos);
        ttl[i] = u32(pos + 4);
        rdlength[i] = u16(pos + 8);
        rdata[i] = pos + 10;
        pos = rdata[i] + rdlength[i];
        need(pos);
        count = i + 1;
      }
      int answers = Math.min(an, count);

      boolean cnames = false;
      boolean nsInAnswer = false;
      for (int i = 0; i < answers; i++) {
        cnames |= type[i] == Type.CNAME;
        nsInAnswer |= type[i] == Type.NS;
      }
      int holder = question;
      List<String> chain = List.of();
      if (cnames) {
        List<String> hops = new ArrayList<>(2);
        for (int hop = 0; hop < MAX_CHAIN; hop++) { // bounded: loops and long chains stop
          int next = -1;
          for (int i = 0; i < answers; i++) {
            if (type[i] == Type.CNAME && sameName(owner[i], holder)) {
              next = rdata[i];
              break;
            }
          }
          if (next < 0) {
            break;
          }
          holder = next;
          hops.add(text(next));
        }
        chain = List.copyOf(hops);
      }
      long[] keys = new long[answers];
      int n = 0;
      long minTtl = Long.MAX_VALUE;
      for (int i = 0; i < answers; i++) {
        // Without a CNAME every address record answers the question itself (the upstream's
        // question was checked against ours), so the name comparison is needed only with one.
        if (isAddress(i) && (!cnames || sameName(owner[i], holder))) {
          keys[n++] = addressKey(i);
          minTtl = Math.min(minTtl, ttl[i]);
        }
      }

      // NS names: an NS answer, or the authority section of a referral-style answer.
      int zone = -1;
      int[] nsTargets = null;
      int nsCount = 0;
      int from = nsInAnswer ? 0 : answers;
      int to = nsInAnswer ? answers : Math.min(an + ns, count);
      for (int i = from; i < to; i++) {
        if (type[i] == Type.NS && (zone < 0 || sameName(owner[i], zone))) {
          zone = owner[i];
          if (nsTargets == null) {
            nsTargets = new int[to - from];
          }
          nsTargets[nsCount++] = rdata[i];
        }
      }
      int[] nsHashes = NO_HASHES;
      long[] glue = NO_KEYS;
      if (nsCount > 0) {
        nsHashes = new int[nsCount];
        for (int j = 0; j < nsCount; j++) {
          nsHashes[j] = text(nsTargets[j]).hashCode();
        }
        int additional = Math.min(an + ns, count);
        glue = new long[count - additional];
        int g = 0;
        for (int i = additional; i < count; i++) {
          if (isAddress(i) && isNameServer(owner[i], nsTargets, nsCount)) {
            glue[g++] = addressKey(i);
          }
        }
        glue = Arrays.copyOf(glue, g);
      }
      String questionText = text(question);
      return new AnswerObservation(
          questionText,
          holder == question ? questionText : text(holder),
          chain,
          n == keys.length ? keys : Arrays.copyOf(keys, n),
          n == 0 ? 0 : (int) Math.min(minTtl, Integer.MAX_VALUE),
          zone < 0 ? null : text(zone),
          nsHashes,
          glue);
    }

    private boolean isAddress(int i) {
      return (type[i] == Type.A && rdlength[i] == 4) || (type[i] == Type.AAAA && rdlength[i] == 16);
    }

    private long addressKey(int i) {
      int o = rdata[i];
      if (rdlength[i] == 4) {
        return u32(o);
      }
      long high = 0;
      for (int j = 0; j < 8; j++) {
        high = (high << 8) | (w[o + j] & 0xFF);
      }
      return AddressKey.ofV6High(high);
    }

    private boolean isNameServer(int name, int[] targets, int n) throws Malformed {
      for (int j = 0; j < n; j++) {
        if (sameName(name, targets[j])) {
          return true;
        }
      }
      return false;
    }

    /** Where the name at {@code pos} ends in place (after its last label or its pointer). */
    private int skipName(int pos) throws Malformed {
      while (true) {
        need(pos + 1);
        int len = w[pos] & 0xFF;
        if (len == 0) {
          return pos + 1;
        }
        if ((len & 0xC0) == 0xC0) {
          return pos + 2;
        }
        if (len > 63) {
          throw MALFORMED;
        }
        pos += 1 + len;
      }
    }

    /** Follows compression pointers from {@code pos} to the next length byte (a bounded number of jumps). */
    private int label(int pos) throws Malformed {
      for (int jumps = 0; jumps < 64; jumps++) {
        need(pos + 1);
        int len = w[pos] & 0xFF;
        if ((len & 0xC0) != 0xC0) {
          if (len > 63) {
            throw MALFORMED;
          }
          need(pos + 1 + len);
          return pos;
        }
        need(pos + 2);
        pos = ((len & 0x3F) << 8) | (w[pos + 1] & 0xFF);
      }
      throw MALFORMED;
    }

    /** Whether the names at two offsets are equal, ignoring ASCII case (RFC 4343). */
    private boolean sameName(int a, int b) throws Malformed {
      for (int labels = 0; labels < 128; labels++) {
        a = label(a);
        b = label(b);
        if (a == b) {
          return true; // the same bytes: the same name from here on
        }
        int len = w[a] & 0xFF;
        if (len != (w[b] & 0xFF)) {
          return false;
        }
        if (len == 0) {
          return true;
        }
        for (int i = 1; i <= len; i++) {
          if (lower(w[a + i]) != lower(w[b + i])) {
            return false;
          }
        }
        a += 1 + len;
        b += 1 + len;
      }
      throw MALFORMED;
    }

    /** Lower case, no trailing dot, as {@link AnswerObservation#text(Name)} writes it. */
    private String text(int pos) throws Malformed {
      int begin = pos;
      byte[] out = new byte[255];
      int o = 0;
      for (int labels = 0; labels < 128; labels++) {
        pos = label(pos);
        int len = w[pos] & 0xFF;
        if (len == 0) {
          return new String(out, 0, o, StandardCharsets.ISO_8859_1);
        }
        if (o + len + 1 > out.length) {
          throw MALFORMED; // longer than a name may be
        }
        if (o > 0) {
          out[o++] = '.';
        }
        for (int i = 1; i <= len; i++) {
          byte b = lower(w[pos + i]);
          if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_')) {
            return slowText(begin);
          }
          out[o++] = b;
        }
        pos += 1 + len;
      }
      throw MALFORMED;
    }

    private String slowText(int pos) throws Malformed {
      try {
        DNSInput in = new DNSInput(w);
        in.jump(pos);
        return AnswerObservation.slowText(new Name(in));
      } catch (java.io.IOException | IllegalArgumentException e) {
        throw MALFORMED;
      }
    }

    private static byte lower(byte b) {
      return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private void need(int end) throws Malformed {
      if (end > w.length) {
        throw MALFORMED;
      }
    }

    private int u16(int pos) {
      return ((w[pos] & 0xFF) << 8) | (w[pos + 1] & 0xFF);
    }

    private long u32(int pos) {
      return ((long) (w[pos] & 0xFF) << 24) | ((w[pos + 1] & 0xFF) << 16) | ((w[pos + 2] & 0xFF) << 8) | (w[pos + 3] & 0xFF);
    }
  }

  private static final int[] NO_HASHES = new int[0];
  private static final long[] NO_KEYS = new long[0];
  private static final AnswerObservation EMPTY = new AnswerObservation("", "", List.of(), NO_KEYS, 0, null, NO_HASHES, NO_KEYS);

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
    return new String(out, 0, o, StandardCharsets.ISO_8859_1);
  }

  private static String slowText(Name name) {
    String s = name.toString(true).toLowerCase(Locale.ROOT);
    return s;
  }
}
