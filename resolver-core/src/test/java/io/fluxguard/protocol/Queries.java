package io.fluxguard.protocol;

import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Builds query packets for tests. */
public final class Queries {
  private Queries() {}

  public static Message message(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Message withEdns(Message m, int payload, boolean dnssecOk) {
    m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return m;
  }

  public static ClientQuery decode(Message m) {
    DecodeResult r = new QueryDecoder(new ResponseEncoder(1232)).decode(m.toWire());
    if (r instanceof DecodeResult.Query q) {
      return q.query();
    }
    throw new AssertionError("not a query: " + r);
  }

  public static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("answer does not parse", e);
    }
  }
}
