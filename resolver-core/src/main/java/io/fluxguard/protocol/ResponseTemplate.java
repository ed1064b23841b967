package io.fluxguard.protocol;

import java.util.List;
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
    Message m = new Message(0);
    Header h = m.getHeader();
    h.setRcode(upstream.getRcode() & 0xF);
    m.addRecord(Record.newRecord(name, type, dclass), Section.QUESTION);
    for (int s = Section.ANSWER; s <= Section.ADDITIONAL; s++) {
      for (Record r : upstream.getSection(s)) {
        if (r.getType() != Type.OPT && r.getType() != Type.TSIG) {
          m.addRecord(r, s);
        }
      }
    }
    int rcode = upstream.getRcode();
    List<Record> answers = upstream.getSection(Section.ANSWER);
    boolean negative = rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && answers.isEmpty());
    long negativeTtl = -1;
    if (negative) {
      for (Record r : upstream.getSection(Section.AUTHORITY)) {
        if (r instanceof SOARecord soa) {
          // RFC 2308 §5: the negative TTL is the lesser of the SOA's own TTL and its MINIMUM.
          negativeTtl = Math.min(soa.getTTL(), soa.getMinimum());
          break;
        }
      }
    }
    return new ResponseTemplate(
        m.toWire(), rcode, upstream.getHeader().getFlag(org.xbill.DNS.Flags.AD), negative, negativeTtl);
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
    return negative ? negativeTtl : minTtl;
  }

  int questionEnd() {
    return questionEnd;
  }

  byte[] wire() {
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
