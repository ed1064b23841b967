package io.fluxguard.upstream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Removes from an upstream answer the records that do not belong to the question (RFC 5452 §6,
 * and as Unbound scrubs for a forwarder), before anything is cached, assessed or served:
 *
 * <ul>
 *   <li>answer: records owned by the question name or a name its CNAME/DNAME chain leads to, and
 *       DNAMEs owned by an ancestor of a name in the chain;
 *   <li>authority: SOA, NS and denial (NSEC, NSEC3) records owned by an ancestor of, or a name
 *       in, the chain (NSEC3 owners are hashed: kept when under such an ancestor);
 *   <li>additional: records owned by a name the kept records point to (NS, MX, SRV targets);
 *   <li>signatures (RRSIG) are kept beside what they sign.
 * </ul>
 *
 * A poisoning attempt that rides on an answer — "and here is www.bank.example too" — is dropped.
 */
public final class AnswerScrubber {
  private AnswerScrubber() {}

  /** The answer with foreign records removed, and how many were; the same message when none were. */
  public record Result(Message message, int removed) {}

  public static Result scrub(Name question, Message upstream) {
    List<Record> answer = upstream.getSection(Section.ANSWER);
    Set<Name> chain = new HashSet<>();
    chain.add(question);
    // Follow CNAMEs and DNAMEs in the order given, as far as they go (bounded by the section).
    for (int pass = 0; pass < answer.size(); pass++) {
      boolean grew = false;
      for (Record r : answer) {
        if (r instanceof CNAMERecord c && chain.contains(c.getName()) && chain.add(c.getTarget())) {
          grew = true;
        }
      }
      if (!grew) {
        break;
      }
    }
    List<Record> keptAnswer = new ArrayList<>();
    for (Record r : answer) {
      Name owner = r.getName();
      boolean ours = chain.contains(owner)
          || (r instanceof DNAMERecord && anyUnder(chain, owner))
          || (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.DNAME && anyUnder(chain, owner));
      if (ours) {
        keptAnswer.add(r);
      }
    }
    List<Record> keptAuthority = new ArrayList<>();
    for (Record r : upstream.getSection(Section.AUTHORITY)) {
      int type = r instanceof RRSIGRecord s ? s.getTypeCovered() : r.getType();
      boolean zoneData = type == Type.SOA || type == Type.NS || type == Type.DS || type == Type.NSEC || type == Type.NSEC3;
      boolean ours = zoneData && (anyUnder(chain, r.getName())
          || ((r instanceof NSECRecord || r instanceof NSEC3Record || type == Type.NSEC || type == Type.NSEC3)
              && r.getName().labels() > 1 && anyUnder(chain, new Name(r.getName(), 1))));
      if (ours) {
        keptAuthority.add(r);
      }
    }
    Set<Name> wanted = new HashSet<>();
    for (Record r : keptAnswer) {
      addTarget(r, wanted);
    }
    for (Record r : keptAuthority) {
      addTarget(r, wanted);
    }
    List<Record> keptAdditional = new ArrayList<>();
    for (Record r : upstream.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT || wanted.contains(r.getName())) {
        keptAdditional.add(r);
      }
    }
    int removed = answer.size() - keptAnswer.size()
        + upstream.getSection(Section.AUTHORITY).size() - keptAuthority.size()
        + upstream.getSection(Section.ADDITIONAL).size() - keptAdditional.size();
    if (removed == 0) {
      return new Result(upstream, 0);
    }
    Message clean = new Message(upstream.getHeader().getID());
    org.xbill.DNS.Header h = clean.getHeader();
    org.xbill.DNS.Header u = upstream.getHeader();
    for (int f = 0; f < 16; f++) {
      if (org.xbill.DNS.Flags.isFlag(f) && u.getFlag(f)) {
        h.setFlag(f);
      }
    }
    h.setRcode(u.getRcode());
    h.setOpcode(u.getOpcode());
    for (Record q : upstream.getSection(Section.QUESTION)) {
      clean.addRecord(q, Section.QUESTION);
    }
    keptAnswer.forEach(r -> clean.addRecord(r, Section.ANSWER));
    keptAuthority.forEach(r -> clean.addRecord(r, Section.AUTHORITY));
    keptAdditional.forEach(r -> clean.addRecord(r, Section.ADDITIONAL));
    return new Result(clean, removed);
  }

  private static void addTarget(Record r, Set<Name> wanted) {
    Name target = r.getAdditionalName();
    if (target != null) {
      wanted.add(target);
    }
  }

  /** Whether some name of the chain is {@code ancestor} itself or under it. */
  private static boolean anyUnder(Set<Name> chain, Name ancestor) {
    for (Name n : chain) {
      if (n.subdomain(ancestor)) {
        return true;
      }
    }
    return false;
  }
}
