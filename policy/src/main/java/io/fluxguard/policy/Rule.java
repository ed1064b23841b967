package io.fluxguard.policy;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * What a matching entry asks for: the action, the source and list it belongs to, and for RPZ
 * local data the records to answer with (their owner is replaced by the query name).
 *
 * @param source where the rule comes from
 * @param list the list's name for {@link Source#LISTS}, else null
 * @param action what the client receives
 * @param localData records for {@link Action#LOCAL_DATA}, else empty
 */
public record Rule(Source source, String list, Action action, List<Record> localData) {
  public Rule {
    localData = List.copyOf(localData);
  }

  public static Rule of(Source source, String list, Action action) {
    return new Rule(source, list, action, List.of());
  }
}
