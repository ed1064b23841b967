package io.fluxguard.protocol;

import io.fluxguard.detector.evidence.AnswerObservation;
import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a received packet into a {@link DecodeResult}. Header checks run on the raw bytes first so
 * that junk never reaches the full parser; the body is then parsed with dnsjava. The checks follow
 * Unbound's ({@code worker_check_request}, {@code parse_edns_from_query_pkt}):
 *
 * <ul>
 *   <li>fewer than 12 bytes, or QR=1: dropped (answering a response invites reflection loops)
 *   <li>opcode other than QUERY: NOTIMP (RFC 1035 §4.1.1)
 *   <li>FORMERR with the client's ID: QDCOUNT other than 1; TC set; any answer or authority
 *       record; an additional record other than one OPT owned by the root (RFC 6891 §6.1.1); an
 *       EDNS option that does not parse (RFC 7873 §5.2.2, RFC 7871 §7.1.1 ask FORMERR for bad
 *       COOKIE and ECS options; Unbound skips a broken option instead); a body that does not parse
 *   <li>EDNS version above 0: BADVERS (RFC 6891 §6.1.3)
 *   <li>QTYPE OPT, TSIG, TKEY, MAILA, MAILB or 128-248: FORMERR; AXFR/IXFR: REFUSED, zone
 *       transfers are not forwarded
 * </ul>
 *
 * <p>Bytes after the last record are ignored, as Unbound does.
 */
public final class QueryDecoder {
  private final ResponseEncoder encoder;

  public QueryDecoder(ResponseEncoder encoder) {
    this.encoder = encoder;
  }

  public DecodeResult decode(byte[] packet) {
    if (packet.length < DnsWire.HEADER_LENGTH) {
      return new DecodeResult.Drop(DecodeResult.DropReason.SHORT);
    }
    int id = DnsWire.id(packet);
    int flags = DnsWire.flags(packet);
    if ((flags & DnsWire.FLAG_QR) != 0) {
      return new DecodeResult.Drop(DecodeResult.DropReason.RESPONSE);
    }
    if (DnsWire.opcode(flags) != Opcode.QUERY) {
      return reject(DecodeResult.RejectReason.OPCODE, Rcode.NOTIMP, encoder.headerOnly(id, flags, Rcode.NOTIMP, ednsOf(packet)));
    }
    if (DnsWire.count(packet, Section.QUESTION) != 1) {
      return reject(DecodeResult.RejectReason.QDCOUNT, Rcode.FORMERR, encoder.headerOnly(id, flags, Rcode.FORMERR, ednsOf(packet)));
    }
    // As Unbound: a query carries no answer or authority records, at most one additional (the
    // OPT), and no TC bit.
    if ((flags & DnsWire.FLAG_TC) != 0
        || DnsWire.count(packet, Section.ANSWER) != 0
        || DnsWire.count(packet, Section.AUTHORITY) != 0
        || DnsWire.count(packet, Section.ADDITIONAL) > 1) {
      return reject(DecodeResult.RejectReason.HEADER, Rcode.FORMERR, encoder.headerOnly(id, flags, Rcode.FORMERR, ednsOf(packet)));
    }
    Message message;
    int questionEnd;
    try {
      questionEnd = DnsWire.skipName(packet, DnsWire.HEADER_LENGTH, false) + 4;
      if (questionEnd > packet.length) {
        throw new MalformedMessageException("question truncated");
      }
      DecodeResult simple = decodeSimple(packet, id, flags, questionEnd);
      if (simple != null) {
        return simple;
      }
      message = new Message(packet);
    } catch (IOException | RuntimeException e) {
      // dnsjava reports malformed input as WireParseException; anything else it throws on hostile
      // bytes is treated the same way, since the packet, not the server, is at fault.
      return reject(
          DecodeResult.RejectReason.MALFORMED, Rcode.FORMERR, encoder.headerOnly(id, flags, Rcode.FORMERR, null));
    }
    Record question = message.getQuestion();
    OPTRecord opt = message.getOPT();
    if (message.getSection(Section.ADDITIONAL).size() != (opt == null ? 0 : 1) || (opt != null && !opt.getName().equals(Name.root))) {
      // The one additional record a query may carry is an OPT owned by the root (RFC 6891
      // section 6.1.2). TSIG or SIG(0) cannot be checked by a forwarder, nor passed on.
      return reject(DecodeResult.RejectReason.HEADER, Rcode.FORMERR, encoder.headerOnly(id, flags, Rcode.FORMERR, null));
    }
    boolean edns = opt != null;
    return finish(
        packet,
        id,
        flags,
        question.getName(),
        question.getType(),
        question.getDClass(),
        questionEnd,
        edns,
        edns ? opt.getPayloadSize() : 0,
        edns ? opt.getVersion() : 0,
        edns ? opt.getFlags() : 0);
  }

  /**
   * The common shape of a query — one question and at most an OPT record, nothing else — read
   * straight from the bytes, which costs a fraction of a full parse. Returns null for anything
   * else, which then takes the full dnsjava parse (and gets the same verdict it always would).
   */
  private DecodeResult decodeSimple(byte[] packet, int id, int flags, int questionEnd)
      throws IOException {
    int additional = DnsWire.count(packet, Section.ADDITIONAL);
    boolean edns = false;
    int payload = 0;
    int version = 0;
    int ednsFlags = 0;
    if (additional == 1) {
      // root owner (1) + type (2) + class (2) + TTL (4) + RDLENGTH (2)
      int p = questionEnd;
      if (p + 11 > packet.length || packet[p] != 0 || DnsWire.u16(packet, p + 1) != Type.OPT) {
        return null;
      }
      if (p + 11 + DnsWire.u16(packet, p + 9) != packet.length) {
        return null;
      }
      checkOptions(packet, p + 11);
      edns = true;
      payload = DnsWire.u16(packet, p + 3);
      version = packet[p + 6] & 0xFF;
      ednsFlags = DnsWire.u16(packet, p + 7);
    } else if (additional != 0 || questionEnd != packet.length) {
      return null;
    }
    DNSInput in = new DNSInput(packet);
    in.jump(DnsWire.HEADER_LENGTH);
    Name name = new Name(in);
    int type = DnsWire.u16(packet, questionEnd - 4);
    int dclass = DnsWire.u16(packet, questionEnd - 2);
    return finish(packet, id, flags, name, type, dclass, questionEnd, edns, payload, version, ednsFlags);
  }

  /**
   * Parses each EDNS option from {@code offset} to the end with dnsjava, as the full parse would,
   * so both paths give a packet the same verdict: throws if an option runs past the OPT record or
   * its content is invalid (a COOKIE of the wrong length, an ECS with a bad family or prefix).
   */
  private static void checkOptions(byte[] packet, int offset) throws IOException {
    int p = offset;
    while (p < packet.length) {
      if (p + 4 > packet.length || p + 4 + DnsWire.u16(packet, p + 2) > packet.length) {
        throw new MalformedMessageException("an EDNS option runs past the OPT record");
      }
      int end = p + 4 + DnsWire.u16(packet, p + 2);
      EDNSOption.fromWire(Arrays.copyOfRange(packet, p, end));
      p = end;
    }
  }

  private DecodeResult finish(
      byte[] packet,
      int id,
      int flags,
      Name name,
      int type,
      int dclass,
      int questionEnd,
      boolean edns,
      int payload,
      int ednsVersion,
      int ednsFlags) {
    byte[] questionWire = Arrays.copyOfRange(packet, DnsWire.HEADER_LENGTH, questionEnd);
    ClientQuery query =
        new ClientQuery(
            id,
            flags,
            name,
            AnswerObservation.text(name),
            type,
            dclass,
            questionWire,
            edns,
            edns ? Math.max(ClientQuery.CLASSIC_UDP_SIZE, payload) : ClientQuery.CLASSIC_UDP_SIZE,
            edns && (ednsFlags & 0x8000) != 0);
    if (edns && ednsVersion > 0) {
      return reject(DecodeResult.RejectReason.EDNS_VERSION, Rcode.BADVERS, encoder.badVersion(query));
    }
    if (type == Type.AXFR || type == Type.IXFR) {
      return reject(DecodeResult.RejectReason.QTYPE, Rcode.REFUSED, encoder.error(query, Rcode.REFUSED));
    }
    if (type == Type.OPT || type == Type.TSIG || type == Type.TKEY || type == Type.MAILA || type == Type.MAILB
        || (type >= 128 && type <= 248)) {
      // meta types and the reserved range (RFC 6895 section 3.1) are no question to forward
      return reject(DecodeResult.RejectReason.QTYPE, Rcode.FORMERR, encoder.error(query, Rcode.FORMERR));
    }
    return new DecodeResult.Query(query);
  }

  private static DecodeResult reject(DecodeResult.RejectReason reason, int rcode, byte[] answer) {
    return new DecodeResult.Reject(reason, rcode, answer);
  }

  /**
   * The client's OPT record in a query we reject before reading it, so the answer can carry ours
   * (RFC 6891 §7); null when there is none or the message does not parse far enough to tell.
   */
  private static OPTRecord ednsOf(byte[] packet) {
    // dnsjava sizes its section lists by the header's counts: a 28-byte packet claiming 65,535
    // records would make it allocate for all of them. Each entry takes at least 5 bytes (a
    // question at the root; a record needs 11), so more than that cannot be there.
    long records = 0;
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      records += DnsWire.count(packet, section);
    }
    if (records * 5 > packet.length - DnsWire.HEADER_LENGTH) {
      return null;
    }
    try {
      return new Message(packet).getOPT();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
