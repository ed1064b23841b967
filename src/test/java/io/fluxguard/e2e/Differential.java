package io.fluxguard.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends the same queries to a reference resolver and to a candidate, and lists every answer in
 * which they differ: rcode, header flags, EDNS presence, the question as echoed, the answer
 * section as a set and the SOA of the authority section (negative answers) — TTL values and
 * record order ignored. An answer truncated over UDP is compared by rcode and flags and asked
 * again over TCP. A query that times out or gets SERVFAIL is asked once more (and counted).
 */
final class Differential {
  /** How a query is sent: over UDP with EDNS (1232 bytes), over UDP without EDNS, or over TCP. */
  enum Transport {
    UDP_EDNS,
    UDP_PLAIN,
    TCP
  }

  record Query(Name name, int type) {
    @Override
    public String toString() {
      return name + " " + Type.string(type);
    }
  }

  record Mismatch(String pass, Query query, Transport transport, String reference, String candidate) {
    @Override
    public String toString() {
      return pass + " " + query + " over " + transport + "\n  reference: " + reference + "\n  candidate: " + candidate;
    }
  }

  private static final int[] FLAGS = {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD};

  private final InetSocketAddress reference;
  private final InetSocketAddress candidate;
  private int retries;

  Differential(InetSocketAddress reference, InetSocketAddress candidate) {
    this.reference = reference;
    this.candidate = candidate;
  }

  /** Asks both servers every query over {@code transport}; {@code pass} labels the mismatches. */
  List<Mismatch> compare(String pass, List<Query> queries, Transport transport) throws IOException {
    List<Mismatch> mismatches = new ArrayList<>();
    for (Query q : queries) {
      Message ref = askTwice(reference, q, transport);
      Message cand = askTwice(candidate, q, transport);
      boolean truncated = ref.getHeader().getFlag(Flags.TC) && cand.getHeader().getFlag(Flags.TC);
      // what a truncated answer holds besides the TC flag differs by design between resolvers
      String r = truncated ? header(ref) : describe(ref);
      String c = truncated ? header(cand) : describe(cand);
      if (!r.equals(c)) {
        mismatches.add(new Mismatch(pass, q, transport, r, c));
      } else if (truncated) {
        mismatches.addAll(compare(pass + " (after TC)", List.of(q), Transport.TCP));
      }
    }
    return mismatches;
  }

  /** Queries asked a second time because the first ask timed out or got SERVFAIL. */
  int retries() {
    return retries;
  }

  /**
   * The server's answer, asked once more after a timeout or a SERVFAIL: on a loaded machine a
   * resolver's first forward can time out. A server that fails both times is compared as it is.
   */
  private Message askTwice(InetSocketAddress server, Query q, Transport transport) throws IOException {
    try {
      Message m = ask(server, q, transport);
      if (m.getRcode() != Rcode.SERVFAIL) {
        return m;
      }
    } catch (SocketTimeoutException e) {
      // asked again below
    }
    retries++;
    return ask(server, q, transport);
  }

  private static Message ask(InetSocketAddress server, Query q, Transport transport) throws IOException {
    Message query = Message.newQuery(Record.newRecord(q.name(), q.type(), DClass.IN));
    if (transport != Transport.UDP_PLAIN) {
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    Message answer = transport == Transport.TCP ? DnsClient.tcp(server, query) : DnsClient.udp(server, query);
    if (answer.getHeader().getID() != query.getHeader().getID()) {
      throw new IOException(server + " answered " + q + " with ID " + answer.getHeader().getID() + ", asked " + query.getHeader().getID());
    }
    return answer;
  }

  private static String header(Message m) {
    StringBuilder s = new StringBuilder(Rcode.string(m.getRcode())).append(" flags=");
    for (int f : FLAGS) {
      if (m.getHeader().getFlag(f)) {
        s.append(Flags.string(f)).append(' ');
      }
    }
    OPTRecord opt = m.getOPT();
    s.append(opt == null ? "no-edns" : "edns" + ((opt.getFlags() & ExtendedFlags.DO) != 0 ? "+do" : ""));
    Record question = m.getQuestion();
    s.append(" question=").append(question == null ? "none" : question.getName() + "/" + Type.string(question.getType()));
    return s.toString();
  }

  /** The answer in a comparable form: TTLs zeroed, names in canonical case, records sorted. */
  static String describe(Message m) {
    TreeSet<String> answer = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      answer.add(canonical(r));
    }
    TreeSet<String> soa = new TreeSet<>();
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r.getType() == Type.SOA) {
        soa.add(canonical(r));
      }
    }
    return header(m) + " answer=" + answer + " authority-soa=" + soa;
  }

  private static String canonical(Record r) {
    Record c = Record.newRecord(r.getName().canonicalize(), r.getType(), r.getDClass(), 0, r.rdataToWireCanonical());
    return c.toString();
  }
}
