package io.fluxguard.cache;

import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.protocol.ResponseTemplate;

/**
 * One cached upstream answer: what the response policy checks in it (which runs again on every
 * hit, so policy changes apply without a flush), its wire template, when it was stored, and the
 * flux detector's judgement of it.
 *
 * @param content the CNAME chain and addresses of the answer as the upstream sent it
 * @param template the wire form served to clients
 * @param storedAtNanos ticker time at which it was stored
 * @param ttlSeconds how long it stays, after clamping
 * @param assessment the flux detector's judgement of the answer, or null (not assessed)
 * @param upstream the upstream that gave it (its label), or null
 */
public record CachedAnswer(
    AnswerContent content, ResponseTemplate template, long storedAtNanos, long ttlSeconds, FluxAssessment assessment,
    String upstream) {

  /** Whole seconds since the answer was stored, as subtracted from served TTLs. */
  public long ageSeconds(long nowNanos) {
    return Math.max(0, (nowNanos - storedAtNanos) / 1_000_000_000L);
  }
}
