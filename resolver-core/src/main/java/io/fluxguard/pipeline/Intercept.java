package io.fluxguard.pipeline;

import io.fluxguard.policy.Decision;

/**
 * What a policy does instead of the normal answer: answer with {@code answer}, or send nothing
 * when it is null ({@link #drop}); {@code decision} says why (for the query log), when known.
 * {@link #ALLOWED} from the query policy means "resolve normally, and do not ask the response
 * policy" (an allow rule); {@link #monitored} means "answer normally, but log the decision".
 */
public record Intercept(byte[] answer, Decision decision) {
  public static final Intercept ALLOWED = new Intercept(new byte[0], null);
  private static final byte[] MONITORED = new byte[0];

  public static Intercept drop(Decision decision) {
    return new Intercept(null, decision);
  }

  public boolean dropped() {
    return answer == null;
  }

  /**
   * A decision in monitor mode: answer normally (and, before resolving, still ask the response
   * policy), but let the query log show what would have been blocked.
   */
  public static Intercept monitored(Decision decision) {
    return new Intercept(MONITORED, decision);
  }

  public boolean monitoredOnly() {
    return answer == MONITORED;
  }
}
