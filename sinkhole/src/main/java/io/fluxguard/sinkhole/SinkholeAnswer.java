package io.fluxguard.sinkhole;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * The answer a blocked client gets, before it is written for the client's transport and size:
 * an RCODE with answer and authority records, or no answer at all.
 *
 * @param drop true to send nothing (RPZ {@code rpz-drop.})
 * @param rcode the RFC 1035 RCODE
 * @param answer the answer section
 * @param authority the authority section (the synthetic SOA of a negative answer)
 */
public record SinkholeAnswer(boolean drop, int rcode, List<Record> answer, List<Record> authority) {
  public static final SinkholeAnswer DROP = new SinkholeAnswer(true, 0, List.of(), List.of());

  public SinkholeAnswer {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }
}
