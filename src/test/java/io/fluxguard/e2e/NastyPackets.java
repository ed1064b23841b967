package io.fluxguard.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Rcode;

/**
 * Hostile and odd queries kept as regression tests: each built byte by byte, with the outcome a
 * resolver should give. Unbound 1.17 gives the same outcome to each (DifferentialTest checks),
 * except where the name starts with {@link #UNBOUND_ANSWERS}. A packet the fuzzer ever finds
 * troublesome belongs here.
 */
final class NastyPackets {
  private NastyPackets() {}

  /** DROP: no answer, counted. Otherwise the rcode expected. */
  static final int DROP = -1;

  /** Starts the name of a packet Unbound answers where fluxguard, like BIND, answers FORMERR. */
  static final String UNBOUND_ANSWERS = "[Unbound answers] ";

  record Nasty(String name, byte[] wire, int expected) {
    @Override
    public String toString() {
      return name;
    }

    int id() {
      return wire.length >= 2 ? ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF) : -1;
    }
  }

  private static final int ID = 0x4E57;
  private static final byte[] A_IN = {0, 1, 0, 1};
  private static final byte[] OPT_1232 = opt(0, 0, new byte[0]);

  static List<Nasty> all() {
    byte[] name = name("nasty", "test");
    return List.of(
        new Nasty("empty datagram", new byte[0], DROP),
        new Nasty("11 bytes: shorter than a header", Arrays.copyOf(header(0x0100, 1, 0, 0, 0), 11), DROP),
        new Nasty("QR=1: a response sent to us", packet(header(0x8100, 1, 0, 0, 0), name, A_IN), DROP),
        new Nasty("QDCOUNT 0", packet(header(0x0100, 0, 0, 0, 0)), Rcode.FORMERR),
        new Nasty("QDCOUNT 2", packet(header(0x0100, 2, 0, 0, 0), name, A_IN, name("two", "test"), A_IN), Rcode.FORMERR),
        new Nasty("QDCOUNT 1, no question", packet(header(0x0100, 1, 0, 0, 0)), Rcode.FORMERR),
        new Nasty("question cut inside the type", packet(header(0x0100, 1, 0, 0, 0), name, new byte[] {0}), Rcode.FORMERR),
        new Nasty("label length 64 (0x40, an extended label type)", packet(header(0x0100, 1, 0, 0, 0), rawLabels(64), A_IN), Rcode.FORMERR),
        new Nasty("label type 0x80 (reserved)", packet(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0x81, 'a', 0}, A_IN), Rcode.FORMERR),
        new Nasty("name of 321 bytes (over 255)", packet(header(0x0100, 1, 0, 0, 0), rawLabels(63, 63, 63, 63, 63), A_IN), Rcode.FORMERR),
        new Nasty("name of exactly 255 bytes", packet(header(0x0100, 1, 0, 0, 0),
            name("x".repeat(63), "x".repeat(63), "x".repeat(63), "x".repeat(56), "test"), A_IN), Rcode.NOERROR),
        new Nasty("label ending the packet without its root", packet(header(0x0100, 1, 0, 0, 0), new byte[] {5, 'n', 'a', 's'}), Rcode.FORMERR),
        new Nasty("compression pointer in the question, to itself", packet(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0xC0, 12}, A_IN), Rcode.FORMERR),
        new Nasty("compression pointer in the question, past the end", packet(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0xFF, (byte) 0xFF}, A_IN),
            Rcode.FORMERR),
        // a valid question (bytes 12 to 27), then an additional record whose owner starts at 28
        new Nasty("compression pointer loop in an additional record's owner", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            new byte[] {(byte) 0xC0, 28}, new byte[] {0, 41, 4, (byte) 0xD0}, ttlAndRdata(new byte[0])), Rcode.FORMERR),
        // RFC 1035 4.1.4: a pointer refers to a prior occurrence; BIND and dnsjava hold to it, Unbound does not
        new Nasty(UNBOUND_ANSWERS + "compression pointer forward in an additional record's owner", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            new byte[] {(byte) 0xC0, 60}, new byte[] {0, 41, 4, (byte) 0xD0}, ttlAndRdata(new byte[0]), new byte[30]), Rcode.FORMERR),
        new Nasty("compression pointers looping between two names", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            new byte[] {3, 'a', 'b', 'c', (byte) 0xC0, 28}, A_IN, ttlAndRdata(new byte[4])), Rcode.FORMERR),
        new Nasty("OPT twice", packet(header(0x0100, 1, 0, 0, 2), name, A_IN, OPT_1232, OPT_1232), Rcode.FORMERR),
        new Nasty("OPT in the answer section", packet(header(0x0100, 1, 1, 0, 0), name, A_IN, OPT_1232), Rcode.FORMERR),
        new Nasty("OPT in the authority section", packet(header(0x0100, 1, 0, 1, 0), name, A_IN, OPT_1232), Rcode.FORMERR),
        new Nasty("OPT owner not the root", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, name, Arrays.copyOfRange(OPT_1232, 1, OPT_1232.length)),
            Rcode.FORMERR),
        new Nasty("OPT RDLENGTH 65535, nothing after it", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            new byte[] {0, 0, 41, 4, (byte) 0xD0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF}), Rcode.FORMERR),
        // Unbound skips a broken option and answers; BIND and fluxguard answer FORMERR
        new Nasty(UNBOUND_ANSWERS + "EDNS option longer than the OPT's RDATA", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            opt(0, 0, new byte[] {0, 10, 0, 100, 1, 2, 3, 4})), Rcode.FORMERR),
        new Nasty("ARCOUNT 3, one record present", packet(header(0x0100, 1, 0, 0, 3), name, A_IN, OPT_1232), Rcode.FORMERR),
        new Nasty("additional record cut after its type", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, new byte[] {0, 0, 1}), Rcode.FORMERR),
        new Nasty("a lone non-OPT additional record (as TSIG would be)", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            name, A_IN, ttlAndRdata(new byte[] {(byte) 192, 0, 2, 1})), Rcode.FORMERR),
        new Nasty("A record with RDLENGTH 65535 in the additional section", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            name, A_IN, new byte[] {0, 0, 0, 60, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4}), Rcode.FORMERR),
        new Nasty("an answer record in the query", packet(header(0x0100, 1, 1, 0, 0), name, A_IN, name, A_IN, ttlAndRdata(new byte[] {(byte) 192, 0, 2, 1})),
            Rcode.FORMERR),
        new Nasty("an authority record in the query", packet(header(0x0100, 1, 0, 1, 0), name, A_IN, name, A_IN, ttlAndRdata(new byte[] {(byte) 192, 0, 2, 1})),
            Rcode.FORMERR),
        new Nasty("trailing bytes after the question (ignored)", packet(header(0x0100, 1, 0, 0, 0), name, A_IN, new byte[20]), Rcode.NOERROR),
        new Nasty("trailing bytes after the OPT record (ignored)", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, OPT_1232, new byte[7]), Rcode.NOERROR),
        new Nasty("EDNS version 1", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, opt(1, 0, new byte[0])), Rcode.BADVERS),
        new Nasty("EDNS payload 0 (read as 512)", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, optPayload(0)), Rcode.NOERROR),
        new Nasty("unknown EDNS option", packet(header(0x0100, 1, 0, 0, 1), name, A_IN, opt(0, 0, new byte[] {(byte) 0xFD, (byte) 0xE9, 0, 2, 7, 7})),
            Rcode.NOERROR),
        new Nasty("opcode STATUS", packet(header(0x1100, 1, 0, 0, 0), name, A_IN), Rcode.NOTIMP),
        new Nasty("opcode 15 (unassigned)", packet(header(0x7900, 1, 0, 0, 0), name, A_IN), Rcode.NOTIMP),
        new Nasty("opcode UPDATE", packet(header(0x2800, 1, 0, 0, 0), name("test"), new byte[] {0, 6, 0, 1}), Rcode.NOTIMP),
        new Nasty("QTYPE OPT", packet(header(0x0100, 1, 0, 0, 0), name, new byte[] {0, 41, 0, 1}), Rcode.FORMERR),
        new Nasty("QTYPE TSIG", packet(header(0x0100, 1, 0, 0, 0), name, new byte[] {0, (byte) 250, 0, 1}), Rcode.FORMERR),
        new Nasty("QTYPE MAILB", packet(header(0x0100, 1, 0, 0, 0), name, new byte[] {0, (byte) 253, 0, 1}), Rcode.FORMERR),
        new Nasty("QTYPE 200 (reserved for meta types)", packet(header(0x0100, 1, 0, 0, 0), name, new byte[] {0, (byte) 200, 0, 1}), Rcode.FORMERR),
        new Nasty(UNBOUND_ANSWERS + "COOKIE option of 5 bytes (RFC 7873: 8, or 16 to 40)", packet(header(0x0100, 1, 0, 0, 1), name, A_IN,
            opt(0, 0, new byte[] {0, 10, 0, 5, 1, 2, 3, 4, 5})), Rcode.FORMERR),
        new Nasty("IXFR with its SOA in the authority section", packet(header(0x0100, 1, 0, 1, 0), name("test"), new byte[] {0, (byte) 251, 0, 1},
            name("test"), new byte[] {0, 6, 0, 1}, ttlAndRdata(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0})),
            Rcode.FORMERR),
        new Nasty("QTYPE AXFR over UDP", packet(header(0x0100, 1, 0, 0, 0), name("test"), new byte[] {0, (byte) 252, 0, 1}), Rcode.REFUSED),
        new Nasty("QTYPE IXFR", packet(header(0x0100, 1, 0, 0, 0), name("test"), new byte[] {0, (byte) 251, 0, 1}), Rcode.REFUSED),
        new Nasty("TC bit set in the query", packet(header(0x0300, 1, 0, 0, 0), name, A_IN), Rcode.FORMERR),
        new Nasty("Z bit and an rcode set in the query (ignored)", packet(header(0x0175, 1, 0, 0, 0), name, A_IN), Rcode.NOERROR),
        new Nasty("bytes 0, '.' and 0xFF inside a label", packet(header(0x0100, 1, 0, 0, 0),
            new byte[] {5, 'a', 0, '.', (byte) 0xFF, 'b', 4, 't', 'e', 's', 't', 0}, A_IN), Rcode.NOERROR));
  }

  private static byte[] header(int flags, int qd, int an, int ns, int ar) {
    return new byte[] {
      (byte) (ID >> 8), (byte) ID, (byte) (flags >> 8), (byte) flags,
      0, (byte) qd, 0, (byte) an, 0, (byte) ns, 0, (byte) ar
    };
  }

  private static byte[] packet(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] name(String... labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String l : labels) {
      out.write(l.length());
      out.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(0);
    return out.toByteArray();
  }

  /** A name of labels of the given lengths, 'x' repeated, ending at the root. */
  private static byte[] rawLabels(int... lengths) {
    return name(Arrays.stream(lengths).mapToObj("x"::repeat).toArray(String[]::new));
  }

  /** TTL 60 and the RDLENGTH-prefixed {@code rdata}: the tail of a record after its type and class. */
  private static byte[] ttlAndRdata(byte[] rdata) {
    return packet(new byte[] {0, 0, 0, 60, (byte) (rdata.length >> 8), (byte) rdata.length}, rdata);
  }

  /** An OPT record: root owner, payload 1232, the given version and flags, and {@code options}. */
  private static byte[] opt(int version, int flags, byte[] options) {
    return packet(new byte[] {0, 0, 41, 4, (byte) 0xD0, 0, (byte) version, (byte) (flags >> 8), (byte) flags,
      (byte) (options.length >> 8), (byte) options.length}, options);
  }

  private static byte[] optPayload(int payload) {
    byte[] o = opt(0, 0, new byte[0]);
    o[3] = (byte) (payload >> 8);
    o[4] = (byte) payload;
    return o;
  }
}
