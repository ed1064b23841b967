package io.fluxguard.e2e;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Small builders for names, addresses and queries. */
final class Names {
  private Names() {}

  static Name of(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(of(name), type, DClass.IN));
  }

  /** The addresses of the A and AAAA records in the answer section, in order, as text. */
  static List<String> addresses(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof ARecord || r instanceof AAAARecord)
        .map(r -> r instanceof ARecord a ? a.getAddress().getHostAddress() : ((AAAARecord) r).getAddress().getHostAddress())
        .toList();
  }
}
