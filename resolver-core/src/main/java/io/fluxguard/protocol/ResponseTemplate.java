package io.fluxguard.protocol;

import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An upstream answer kept in wire form, ready to be stamped for a client: ID, flags and the
 * question's letter case are written per client, TTLs are counted down from the offsets found
 * once here. The OPT record is not part of the template; the encoder adds the client's own.
 *
 * <p>Instances are immutable and shared between threads; {@link ResponseEncoder} copies the bytes
 * before changing anything.
 */
public final class ResponseTemplate {
  private final byte[] wire;
  private final int questionEnd;
  private final int[] ttlOffsets;
  private final long[] ttls;
  private final int rcode;
  private final boolean authenticData;
  private final long minTtl;
  private final boolean negative;
  private final long negativeTtl;

  private static final long MAX_TTL = 0x7FFFFFFFL;

  private ResponseTemplate(byte[] wire, int rcode, boolean authenticData, boolean negative, long negativeTtl) {
    this.wire = wire;
    this.rcode = rcode;
    this.authenticData = authenticData;
    this.negative = negative;
    this.negativeTtl = negativeTtl;
    this.questionEnd = DnsWire.skipName(wire, DnsWire.HEADER_LENGTH, false) + 4;
    int records = 0;
    for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
      records += DnsWire.count(wire, s);
    }
    this.ttlOffsets = new int[records];
    this.ttls = new long[records];
    long min = Long.MAX_VALUE;
    int pos = questionEnd;
    for (int i = 0; i < records; i++) {
      pos = DnsWire.skipName(wire, pos, true);
      ttlOffsets[i] = pos + 4;
      ttls[i] = DnsWire.u32(wire, pos + 4);
      if (ttls[i] > MAX_TTL) {
        ttls[i] = 0; // RFC 2181 §8: a TTL with the top bit set is treated as zero
      }
      min = Math.min(min, ttls[i]);
      pos += 10 + DnsWire.u16(wire, pos + 8);
    }
    if (pos != wire.length) {
      throw new MalformedMessageException("template has " + (wire.length - pos) + " trailing bytes");
    }
    this.minTtl = records == 0 ? 0 : min;
  }

  /**
   * Builds the template of an upstream answer to the question {@code name}/{@code type}/{@code
   * dclass}. OPT and TSIG records are left out (they belong to the upstream hop); every other
   * record, of any type, is kept as received.
   */
  public static ResponseTemplate of(Message upstream, Name name, int type, int dclass) {
    int rcode = upstream.getRcode();
    if (rcode > 15) {
      // An extended RCODE (BADCOOKIE, BADVERS, ...) belongs to the upstream hop and cannot be
      // passed on without its OPT: to the client the upstream simply failed.
      rcode = Rcode.SERVFAIL;
    }
    boolean negative = rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && isNoData(upstream, type));
    Message m = new Message(0);
    Header h = m.getHeader();
    h.setRcode(rcode);
    m.addRecord(Record.newRecord(name, type, dclass), Section.QUESTION);
    long negativeTtl = -1;
    for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
      for (Record r : upstream.getSection(s)) {
        if (r.getType() == Type.OPT || r.getType() == Type.TSIG) {
          continue;
        }
        if (negative && s == Section.AUTHORITY && r instanceof SOARecord soa) {
          // RFC 2308 §5: the SOA of a negative answer carries the lesser of its TTL and MINIMUM,
          // which is also how long the answer may be cached.
          long ttl = Math.min(soa.getTTL(), soa.getMinimum());
          if (negativeTtl < 0) {
            negativeTtl = ttl;
          }
          r = new SOARecord(soa.getName(), soa.getDClass(), ttl, soa.getHost(), soa.getAdmin(),
              soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
        }
        m.addRecord(r, s);
      }
    }
    return new ResponseTemplate(
        m.toWire(), rcode, upstream.getHeader().getFlag(org.xbill.DNS.Flags.AD), negative, negativeTtl);
  }

  /**
   * NOERROR without the data asked for: no answer records at all, or only a CNAME chain whose
   * target has none of the asked type (RFC 2308 §2.2).
   */
  private static boolean isNoData(Message upstream, int type) {
    if (type == Type.CNAME || type == Type.ANY) {
      return upstream.getSection(Section.ANSWER).isEmpty();
    }
    for (Record r : upstream.getSection(Section.ANSWER)) {
      if (r.getType() == type) {
        return false;
      }
    }
    return true;
  }

  /** The RCODE (RFC 1035 4-bit value) of the upstream answer. */
  public int rcode() {
    return rcode;
  }

  public boolean authenticData() {
    return authenticData;
  }

  /** True for NXDOMAIN and NODATA answers (RFC 2308). */
  public boolean negative() {
    return negative;
  }

  /**
   * How long this answer may be cached, in seconds, before clamping: the smallest record TTL for
   * positive answers, the SOA-derived TTL for negative ones, or -1 when it must not be cached
   * (negative without SOA, or an RCODE other than NOERROR/NXDOMAIN).
   */
  public long cacheableTtl() {
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return -1;
    }
    if (negative) {
      // Without an SOA a negative answer is not cached (RFC 2308 §5); with one, no record in it
      // (the CNAME chain included) may outlive its own TTL.
      return negativeTtl < 0 ? -1 : Math.min(negativeTtl, minTtl);
    }
    return minTtl;
  }

  /**
   * The answer in wire form as cached: ID 0, the question as asked (the cache key's name), every
   * upstream record but OPT and TSIG, names compressed. Shared: do not modify.
   */
  public byte[] wire() {
    return wire;
  }

  int recordCount() {
    return ttls.length;
  }

  int ttlOffset(int i) {
    return ttlOffsets[i];
  }

  long ttl(int i) {
    return ttls[i];
  }

  /** Wire length without an OPT record. */
  public int length() {
    return wire.length;
  }
}
