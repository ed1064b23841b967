package io.fluxguard.sinkhole;

import io.fluxguard.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Writes the answer for a blocking {@link Decision}: A questions get the sinkhole IPv4 address,
 * AAAA the IPv6 one (ANY both), other types NODATA; NXDOMAIN and NODATA where the source says so,
 * each with a synthetic SOA whose TTL and MINIMUM are the short negative TTL (RFC 2308 §3), so
 * clients do not cache the block for long; RPZ local data with the query name as owner.
 */
public final class SinkholeResponder {
  private static final Name MNAME = Name.fromConstantString("sinkhole.fluxguard.invalid.");
  private static final Name RNAME = Name.fromConstantString("hostmaster.fluxguard.invalid.");

  private final SinkholeSettings settings;

  public SinkholeResponder(SinkholeSettings settings) {
    this.settings = settings;
  }

  /**
   * As above for a question of class {@code qclass}: the sinkhole's records are Internet-class,
   * so a blocked name asked in another class (CHAOS, HESIOD, ANY) is REFUSED rather than given
   * IN records under a foreign class.
   */
  public SinkholeAnswer answer(Name qname, int qtype, int qclass, Decision decision) {
    if (qclass != DClass.IN && decision.action() != io.fluxguard.policy.Action.DROP) {
      return new SinkholeAnswer(false, Rcode.REFUSED, List.of(), List.of());
    }
    return switch (decision.action()) {
      case DROP -> SinkholeAnswer.DROP;
      case NXDOMAIN -> negative(qname, Rcode.NXDOMAIN);
      case NODATA -> negative(qname, Rcode.NOERROR);
      case LOCAL_DATA -> localData(qname, qtype, decision.localData());
      case SINKHOLE -> sinkhole(qname, qtype);
      case PASSTHRU -> throw new IllegalArgumentException("a passthru decision is answered normally");
    };
  }

  private SinkholeAnswer sinkhole(Name qname, int qtype) {
    long ttl = settings.ttl().toSeconds();
    List<Record> records = new ArrayList<>(2);
    if (qtype == Type.A || qtype == Type.ANY) {
      records.add(new ARecord(qname, DClass.IN, ttl, settings.ipv4()));
    }
    if (qtype == Type.AAAA || qtype == Type.ANY) {
      records.add(new AAAARecord(qname, DClass.IN, ttl, settings.ipv6()));
    }
    return records.isEmpty() ? negative(qname, Rcode.NOERROR) : new SinkholeAnswer(false, Rcode.NOERROR, records, List.of());
  }

  /** RPZ local data: the records of the question's type, or a CNAME, owned by the query name. */
  private SinkholeAnswer localData(Name qname, int qtype, List<Record> data) {
    List<Record> records = new ArrayList<>();
    for (Record r : data) {
      if (r.getType() == qtype || qtype == Type.ANY || r instanceof CNAMERecord) {
        records.add(r.withName(qname));
      }
    }
    return records.isEmpty() ? negative(qname, Rcode.NOERROR) : new SinkholeAnswer(false, Rcode.NOERROR, records, List.of());
  }

  private SinkholeAnswer negative(Name qname, int rcode) {
    long ttl = settings.negativeTtl().toSeconds();
    SOARecord soa = new SOARecord(qname, DClass.IN, ttl, MNAME, RNAME, 1, 3600, 600, 86400, ttl);
    return new SinkholeAnswer(false, rcode, List.of(), List.of(soa));
  }
}
