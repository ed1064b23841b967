package io.fluxguard.detector.eval;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * One labelled stream of upstream answers for one queried name, in simulated time.
 *
 * @param id a readable id (class and number)
 * @param label the class
 * @param answers what a resolver would have seen, in time order
 */
public record Scenario(String id, ScenarioClass label, List<Answer> answers) {

  /** An upstream answer to {@code question} seen at {@code atSeconds} after the corpus start. */
  public record Answer(long atSeconds, Name question, Message message) {}
}
