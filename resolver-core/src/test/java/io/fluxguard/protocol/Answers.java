package io.fluxguard.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Builds upstream answers for tests. */
public final class Answers {
  private Answers() {}

  public static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** An answer to {@code query} with {@code count} A records 10.0.x.y at {@code ttl}. */
  public static Message a(Message query, int count, long ttl) {
    Message m = reply(query, Rcode.NOERROR);
    Name n = query.getQuestion().getName();
    for (int i = 0; i < count; i++) {
      m.addRecord(new ARecord(n, DClass.IN, ttl, ip("10.0." + (i / 250) + "." + (i % 250 + 1))), Section.ANSWER);
    }
    return m;
  }

  /** An answer with {@code count} AAAA records, to build large messages. */
  public static Message aaaa(Message query, int count, long ttl) {
    Message m = reply(query, Rcode.NOERROR);
    Name n = query.getQuestion().getName();
    for (int i = 0; i < count; i++) {
      m.addRecord(new AAAARecord(n, DClass.IN, ttl, ip("2001:db8::" + Integer.toHexString(i + 1))), Section.ANSWER);
    }
    return m;
  }

  /** NXDOMAIN with an SOA whose TTL is {@code soaTtl} and MINIMUM {@code minimum}. */
  public static Message nxdomain(Message query, long soaTtl, long minimum) {
    Message m = reply(query, Rcode.NXDOMAIN);
    m.addRecord(soa(soaTtl, minimum), Section.AUTHORITY);
    return m;
  }

  public static SOARecord soa(long ttl, long minimum) {
    return new SOARecord(
        name("example."), DClass.IN, ttl, name("ns.example."), name("hostmaster.example."),
        1, 3600, 600, 86400, minimum);
  }

  public static Message reply(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  public static Record soaRecord() {
    return soa(300, 60);
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
