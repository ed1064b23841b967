package io.fluxguard.cache;

import io.fluxguard.detector.evidence.AnswerObservation;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the response policy checks in an answer, read once when it is cached: the CNAME chain
 * from the question (names as lower-case text) and every A/AAAA address of the answer section.
 *
 * @param chain the CNAME targets followed from the question, in order
 * @param addresses the answer's addresses, 4 or 16 bytes each
 */
public record AnswerContent(List<String> chain, List<byte[]> addresses) {
  public static final AnswerContent NONE = new AnswerContent(List.of(), List.of());
  private static final int MAX_CHAIN = 16;

  public static AnswerContent of(Name question, Message upstream) {
    List<Record> answer = upstream.getSection(Section.ANSWER);
    if (answer.isEmpty()) {
      return NONE;
    }
    List<String> chain = List.of();
    List<byte[]> addresses = new ArrayList<>(answer.size());
    boolean cnames = false;
    for (Record r : answer) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        addresses.add(r.rdataToWireCanonical());
      }
      cnames |= r instanceof CNAMERecord;
    }
    if (cnames) {
      List<String> hops = new ArrayList<>(2);
      Name at = question;
      for (int hop = 0; hop < MAX_CHAIN; hop++) { // bounded: loops stop
        Name next = null;
        for (Record r : answer) {
          if (r instanceof CNAMERecord c && c.getName().equals(at)) {
            next = c.getTarget();
            break;
          }
        }
        if (next == null) {
          break;
        }
        hops.add(AnswerObservation.text(next));
        at = next;
      }
      chain = List.copyOf(hops);
    }
    return new AnswerContent(chain, addresses.isEmpty() ? List.of() : List.copyOf(addresses));
  }
}
