package io.fluxguard.protocol;

import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Writes answers for clients: stamps a {@link ResponseTemplate} with the client's ID, flags and
 * question, counts TTLs down, adds an OPT record when the client sent one (RFC 6891 §6.1.1), and
 * truncates to the client's size limit with TC=1 (RFC 1035 §4.2.1, RFC 6891 §7).
 *
 * <p>A truncated answer keeps the header, question and OPT and drops every record, so the client
 * retries over TCP rather than caching a partial RRset (RFC 2181 §9).
 */
public final class ResponseEncoder {
  /** The default EDNS buffer size we advertise, per DNS Flag Day 2020. */
  public static final int DEFAULT_EDNS_PAYLOAD = 1232;

  /** The largest message a TCP frame can carry (RFC 7766 §8, a 2-byte length). */
  public static final int TCP_MAX_SIZE = 65535;

  private static final int OPT_LENGTH = 11;
  private static final int EXTENDED_RCODE_BADVERS = 1; // upper 8 bits of RCODE 16 (BADVERS)
  private static final int OPT_FLAG_DO = 0x8000;

  private final int advertisedPayload;

  public ResponseEncoder(int advertisedPayload) {
    if (advertisedPayload < ClientQuery.CLASSIC_UDP_SIZE || advertisedPayload > TCP_MAX_SIZE) {
      throw new IllegalArgumentException(
          "EDNS payload size must be 512..65535, got " + advertisedPayload);
    }
    this.advertisedPayload = advertisedPayload;
  }

  /** The size limit of a UDP answer to {@code query}: the smaller of both sides' EDNS sizes. */
  public int udpLimit(ClientQuery query) {
    return query.edns()
        ? Math.min(query.udpPayloadSize(), advertisedPayload)
        : ClientQuery.CLASSIC_UDP_SIZE;
  }

  /** The answer to {@code query} built from {@code template}, at most {@code maxSize} bytes. */
  public byte[] answer(
      ClientQuery query, ResponseTemplate template, long ageSeconds, TtlClamp clamp, int maxSize) {
    int optLength = query.edns() ? OPT_LENGTH : 0;
    byte[] src = template.wire();
    if (src.length + optLength > maxSize) {
      return truncated(query, template.rcode(), template.authenticData());
    }
    byte[] out = new byte[src.length + optLength];
    System.arraycopy(src, 0, out, 0, src.length);
    // The question as the client wrote it: same length as the template's (only case differs).
    System.arraycopy(query.questionWire(), 0, out, DnsWire.HEADER_LENGTH, query.questionWire().length);
    DnsWire.putU16(out, 0, query.id());
    DnsWire.putU16(out, 2, flags(query, template.rcode(), template.authenticData(), false));
    for (int i = 0; i < template.recordCount(); i++) {
      DnsWire.putU32(out, template.ttlOffset(i), clamp.served(template.ttl(i), ageSeconds));
    }
    if (query.edns()) {
      writeOpt(out, src.length, 0, query.dnssecOk());
      DnsWire.putU16(out, 10, DnsWire.count(src, 3) + 1);
    }
    return out;
  }

  /**
   * An answer fluxguard writes itself (a sinkhole or policy answer): the client's ID, question
   * (case as sent), RD and CD echoed, RA set, AA and AD clear; and when the client sent EDNS, an
   * OPT carrying an Extended DNS Error (RFC 8914) with {@code edeCode} and {@code edeText}.
   * Truncated with TC=1 when it does not fit {@code maxSize}.
   */
  public byte[] synthesized(
      ClientQuery query, int rcode, List<Record> answer, List<Record> authority, int edeCode, String edeText, int maxSize) {
    Message m = new Message(query.id());
    Header h = m.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA);
    if (query.recursionDesired()) {
      h.setFlag(Flags.RD);
    }
    if (query.checkingDisabled()) {
      h.setFlag(Flags.CD);
    }
    h.setRcode(rcode);
    m.addRecord(Record.newRecord(query.name(), query.type(), query.dclass()), Section.QUESTION);
    answer.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    if (query.edns()) {
      List<EDNSOption> options = List.of(new ExtendedErrorCodeOption(edeCode, edeText));
      m.addRecord(new OPTRecord(advertisedPayload, 0, 0, query.dnssecOk() ? OPT_FLAG_DO : 0, options), Section.ADDITIONAL);
    }
    return m.toWire(maxSize);
  }

  /** An answer with no records: header, the client's question, and OPT if the client sent one. */
  public byte[] error(ClientQuery query, int rcode) {
    return withQuestion(query, flags(query, rcode, false, false), 0);
  }

  /** BADVERS (RFC 6891 §6.1.3): RCODE 16 split between the header and our OPT, version 0. */
  public byte[] badVersion(ClientQuery query) {
    return withQuestion(query, flags(query, Rcode.NOERROR, false, false), EXTENDED_RCODE_BADVERS);
  }

  /**
   * A header-only answer for a query whose question could not be used (FORMERR, NOTIMP): the
   * client's ID, opcode and RD bit are echoed, and OPT added when the client sent one.
   */
  public byte[] headerOnly(int id, int clientFlags, int rcode, org.xbill.DNS.OPTRecord clientOpt) {
    byte[] out = new byte[DnsWire.HEADER_LENGTH + (clientOpt != null ? OPT_LENGTH : 0)];
    DnsWire.putU16(out, 0, id);
    int flags =
        DnsWire.FLAG_QR
            | (clientFlags & (DnsWire.MASK_OPCODE | DnsWire.FLAG_RD))
            | DnsWire.FLAG_RA
            | (rcode & DnsWire.MASK_RCODE);
    DnsWire.putU16(out, 2, flags);
    if (clientOpt != null) {
      // RFC 6891 §7: an answer to a query with OPT carries OPT.
      writeOpt(out, DnsWire.HEADER_LENGTH, 0, (clientOpt.getFlags() & OPT_FLAG_DO) != 0);
      DnsWire.putU16(out, 10, 1);
    }
    return out;
  }

  /** An empty NOERROR answer with TC=1: "ask again over TCP" (rate-limit slip). */
  public byte[] truncatedAnswer(ClientQuery query) {
    return truncated(query, Rcode.NOERROR, false);
  }

  private byte[] truncated(ClientQuery query, int rcode, boolean authenticData) {
    return withQuestion(query, flags(query, rcode, authenticData, true), 0);
  }

  private byte[] withQuestion(ClientQuery query, int flags, int extendedRcode) {
    byte[] question = query.questionWire();
    int optLength = query.edns() ? OPT_LENGTH : 0;
    byte[] out = new byte[DnsWire.HEADER_LENGTH + question.length + optLength];
    DnsWire.putU16(out, 0, query.id());
    DnsWire.putU16(out, 2, flags);
    DnsWire.putU16(out, 4, 1);
    System.arraycopy(question, 0, out, DnsWire.HEADER_LENGTH, question.length);
    if (query.edns()) {
      writeOpt(out, DnsWire.HEADER_LENGTH + question.length, extendedRcode, query.dnssecOk());
      DnsWire.putU16(out, 10, 1);
    }
    return out;
  }

  private static int flags(ClientQuery query, int rcode, boolean authenticData, boolean truncated) {
    int flags = DnsWire.FLAG_QR | DnsWire.FLAG_RA | (rcode & DnsWire.MASK_RCODE);
    flags |= query.flags() & (DnsWire.FLAG_RD | DnsWire.FLAG_CD);
    // RFC 6840 §5.8: AD only for clients that asked for DNSSEC data or signalled AD.
    if (authenticData && (query.dnssecOk() || query.authenticData())) {
      flags |= DnsWire.FLAG_AD;
    }
    if (truncated) {
      flags |= DnsWire.FLAG_TC;
    }
    return flags;
  }

  private void writeOpt(byte[] out, int offset, int extendedRcode, boolean dnssecOk) {
    out[offset] = 0; // root owner name
    DnsWire.putU16(out, offset + 1, org.xbill.DNS.Type.OPT);
    DnsWire.putU16(out, offset + 3, advertisedPayload);
    out[offset + 5] = (byte) extendedRcode;
    out[offset + 6] = 0; // version
    DnsWire.putU16(out, offset + 7, dnssecOk ? OPT_FLAG_DO : 0);
    DnsWire.putU16(out, offset + 9, 0); // RDLENGTH
  }
}
