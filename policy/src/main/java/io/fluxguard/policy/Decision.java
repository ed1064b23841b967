package io.fluxguard.policy;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * A match of the policy for one query: what to do, why, and whether it is carried out.
 *
 * @param action what the client receives when enforced
 * @param source the source that matched
 * @param mode {@link Mode#ENFORCE} to act, {@link Mode#MONITOR} to answer normally and count
 * @param matched what matched, for logs and the admin API ("list malware: *.evil.example",
 *     "answer address 192.0.2.7 in list bad-ips", "flux verdict for evil.example")
 * @param reason one short sentence for the client's Extended DNS Error text and the block page
 * @param localData RPZ local data, else empty
 */
public record Decision(
    Action action, Source source, Mode mode, String matched, String reason, List<Record> localData) {

  public Decision {
    localData = List.copyOf(localData);
  }

  public boolean enforced() {
    return mode == Mode.ENFORCE;
  }

  /** Whether the client is answered normally (an allow rule, an RPZ passthru, or monitor mode). */
  public boolean answersNormally() {
    return mode != Mode.ENFORCE || action == Action.PASSTHRU || source == Source.ALLOW;
  }

  /**
   * RFC 8914 INFO-CODE: 15 (Blocked) for the operator's own security policy (its rules,
   * detections, flux verdicts), 17 (Filtered) for lists the organisation subscribed to.
   */
  public int extendedErrorCode() {
    return source == Source.LISTS ? 17 : 15;
  }
}
