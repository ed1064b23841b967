package io.fluxguard.pipeline;

import io.fluxguard.cache.CacheKey;
import io.fluxguard.cache.CachedAnswer;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.detection.AnswerInspector;
import io.fluxguard.detector.score.FluxAssessment;
import io.fluxguard.policy.Decision;
import io.fluxguard.protocol.ClientQuery;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.protocol.ResponseTemplate;
import io.fluxguard.upstream.UpstreamAnswer;
import io.fluxguard.upstream.UpstreamForwarder;
import io.fluxguard.upstream.UpstreamUnavailableException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The path of one query (DESIGN.md): query policy, response cache, upstream, response policy,
 * encoding at the client's size. Cache hits complete synchronously; misses continue on the event
 * loop that received the query.
 */
public final class QueryPipeline {
  private static final Logger log = LoggerFactory.getLogger(QueryPipeline.class);

  private final QueryPolicy queryPolicy;
  private final AnswerInspector inspector;
  private final ResponseCache cache;
  private final UpstreamForwarder forwarder;
  private final ResponsePolicy responsePolicy;
  private final ResponseEncoder encoder;
  private final QueryEvents events;
  private volatile QueryLog queryLog = QueryLog.OFF;
  private volatile io.fluxguard.acl.AccessControl acl = new io.fluxguard.acl.AccessControl(
      new io.fluxguard.acl.AclSettings(java.util.List.of("0.0.0.0/0", "::/0"), io.fluxguard.acl.AclSettings.Action.REFUSE));
  private final Map<CacheKey, CompletableFuture<CachedAnswer>> inflight = new ConcurrentHashMap<>();

  public QueryPipeline(
      QueryPolicy queryPolicy,
      ResponseCache cache,
      UpstreamForwarder forwarder,
      ResponsePolicy responsePolicy,
      ResponseEncoder encoder,
      QueryEvents events) {
    this(queryPolicy, AnswerInspector.NONE, cache, forwarder, responsePolicy, encoder, events);
  }

  public QueryPipeline(
      QueryPolicy queryPolicy,
      AnswerInspector inspector,
      ResponseCache cache,
      UpstreamForwarder forwarder,
      ResponsePolicy responsePolicy,
      ResponseEncoder encoder,
      QueryEvents events) {
    this.queryPolicy = queryPolicy;
    this.inspector = inspector;
    this.cache = cache;
    this.forwarder = forwarder;
    this.responsePolicy = responsePolicy;
    this.encoder = encoder;
    this.events = events;
  }

  /** Sets who may query (everyone until set: tests and benchmarks build pipelines directly). */
  public void accessControl(io.fluxguard.acl.AccessControl acl) {
    this.acl = acl;
  }

  private volatile io.fluxguard.acl.RateLimiter rateLimiter;
  private volatile int maxInflight = Integer.MAX_VALUE;

  /** Sets the most distinct questions in flight upstream at once (unbounded until set). */
  public void maxInflight(int max) {
    this.maxInflight = max;
  }

  /** Sets the per-client rate limits of UDP queries (none until set). */
  public void rateLimiter(io.fluxguard.acl.RateLimiter limiter) {
    this.rateLimiter = limiter;
  }

  /** Sets the per-query log (off until set). */
  public void queryLog(QueryLog log) {
    this.queryLog = log;
  }

  /**
   * Answers {@code query}. The future never completes exceptionally: faults become SERVFAIL.
   *
   * A future completed with null means no answer is to be sent (a policy dropped the query).
   *
   * @param client the client's address (for client groups and the sinkhole's records), or null
   * @param loop the event loop that received the query; upstream work continues there
   */
  public CompletableFuture<byte[]> handle(
      ClientQuery query, InetAddress client, Transport transport, ScheduledExecutorService loop, long receivedNanos) {
    int maxSize = transport == Transport.UDP ? encoder.udpLimit(query) : ResponseEncoder.TCP_MAX_SIZE;
    if (!acl.allows(client)) {
      if (acl.action() == io.fluxguard.acl.AclSettings.Action.DROP) {
        events.dropped(transport, io.fluxguard.protocol.DecodeResult.DropReason.ACL);
        return done(null);
      }
      events.rejected(transport, io.fluxguard.protocol.DecodeResult.RejectReason.ACL);
      return done(answered(query, transport, Outcome.REJECTED, receivedNanos, encoder.error(query, Rcode.REFUSED)));
    }
    if (rateLimiter != null && transport == Transport.UDP && !rateLimiter.admit(client)) {
      if (rateLimiter.action() == io.fluxguard.acl.RateLimitSettings.Action.DROP) {
        events.dropped(transport, io.fluxguard.protocol.DecodeResult.DropReason.RATE_LIMIT);
        return done(null);
      }
      // Slip: TC=1 and no records, as small as the query; a real client retries over TCP.
      events.rejected(transport, io.fluxguard.protocol.DecodeResult.RejectReason.RATE_LIMIT);
      return done(answered(query, transport, Outcome.REJECTED, receivedNanos, encoder.truncatedAnswer(query)));
    }
    try {
      Intercept before = queryPolicy.beforeResolve(query, client, maxSize);
      boolean monitoredBefore = before != null && before.monitoredOnly();
      if (before != null && before != Intercept.ALLOWED && !monitoredBefore) {
        return done(intercepted(query, client, transport, receivedNanos, before, null));
      }
      boolean checkAnswer = before == null || monitoredBefore;
      Decision wouldBlock = monitoredBefore ? before.decision() : null;
      CacheKey key = CacheKey.of(query);
      CachedAnswer hit = cache.get(key);
      if (hit != null) {
        return done(serve(query, client, checkAnswer, wouldBlock, transport, hit, Outcome.CACHE_HIT, maxSize, receivedNanos));
      }
      return fetch(key, loop)
          .handleAsync(
              (answer, error) -> {
                if (error != null) {
                  return failed(query, client, transport, error, receivedNanos);
                }
                try {
                  return serve(query, client, checkAnswer, wouldBlock, transport, answer, Outcome.UPSTREAM, maxSize, receivedNanos);
                } catch (RuntimeException e) {
                  return failed(query, client, transport, e, receivedNanos);
                }
              },
              loop);
    } catch (RuntimeException e) {
      return done(failed(query, client, transport, e, receivedNanos));
    }
  }

  /**
   * The upstream answer for {@code key}, cached. Identical questions in flight at once share one
   * upstream exchange and one cache insertion; each waiter then continues on its own event loop.
   */
  private CompletableFuture<CachedAnswer> fetch(CacheKey key, ScheduledExecutorService loop) {
    CompletableFuture<CachedAnswer> joined = inflight.get(key);
    if (joined != null) {
      events.coalesced();
      return joined;
    }
    if (inflight.size() >= maxInflight) {
      // Every queue bounded: past the cap a new question fails at once rather than piling up.
      events.upstreamOverloaded();
      return CompletableFuture.failedFuture(new UpstreamUnavailableException("upstream.max-inflight reached"));
    }
    CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
    CompletableFuture<CachedAnswer> existing = inflight.putIfAbsent(key, mine);
    if (existing != null) {
      events.coalesced();
      return existing;
    }
    forwarder
        .resolve(key, loop)
        .whenComplete(
            (answer, error) -> {
              // Cache first, then leave the in-flight map: a query arriving in between finds
              // the answer in one place or the other.
              CachedAnswer cached = null;
              Throwable failure = error;
              if (failure == null) {
                try {
                  cached = store(key, answer);
                } catch (RuntimeException e) {
                  failure = e;
                }
              }
              inflight.remove(key, mine);
              if (failure != null) {
                mine.completeExceptionally(failure);
              } else {
                mine.complete(cached);
              }
            });
    return mine;
  }

  /**
   * Asks upstream about {@code key} now, whatever the cache holds, and caches the answer (with
   * the detector's assessment): active confirmation of suspicious names.
   */
  public CompletableFuture<CachedAnswer> refresh(CacheKey key, ScheduledExecutorService executor) {
    return fetch(key, executor);
  }

  private CachedAnswer store(CacheKey key, UpstreamAnswer answer) {
    // Records that do not belong to the question never reach the cache, the detector or a client.
    io.fluxguard.upstream.AnswerScrubber.Result scrubbed = io.fluxguard.upstream.AnswerScrubber.scrub(key.name(), answer.message());
    if (scrubbed.removed() > 0) {
      events.scrubbed(scrubbed.removed());
      log.debug("event=answer-scrubbed name={} type={} removed={}", key.name(), key.type(), scrubbed.removed());
    }
    Message message = scrubbed.message();
    ResponseTemplate template =
        ResponseTemplate.of(message, key.name(), key.type(), key.dclass());
    return cache.put(key, message, template, assess(key, template),
        answer.upstream() == null ? null : answer.upstream().label());
  }

  /** The detector's judgement; a fault in it costs the assessment, never the answer. */
  private FluxAssessment assess(CacheKey key, ResponseTemplate answer) {
    try {
      return inspector.inspect(key, answer);
    } catch (RuntimeException e) {
      log.error("event=detector-error name={} type={}", key.name(), key.type(), e);
      return null;
    }
  }

  /**
   * The answer to {@code query} from {@code answer}, unless the response policy intercepts it;
   * {@code wouldBlock}: a monitored decision made before resolving, for the query log.
   */
  private byte[] serve(
      ClientQuery query,
      InetAddress client,
      boolean checkAnswer,
      Decision wouldBlock,
      Transport transport,
      CachedAnswer answer,
      Outcome outcome,
      int maxSize,
      long receivedNanos) {
    Intercept after = checkAnswer ? responsePolicy.afterResolve(query, client, answer, maxSize) : null;
    if (after != null && !after.monitoredOnly()) {
      return intercepted(query, client, transport, receivedNanos, after, answer);
    }
    Decision logged = after != null ? after.decision() : wouldBlock;
    byte[] wire =
        encoder.answer(
            query, answer.template(), answer.ageSeconds(cache.now()), cache.clampFor(answer.template()), maxSize);
    long nanos = System.nanoTime() - receivedNanos;
    events.answered(transport, query.type(), answer.template().rcode(), outcome, nanos);
    if (queryLog.enabled()) {
      queryLog.record(new QueryLog.Entry(query, client, transport, answer.template().rcode(), outcome, nanos, answer, logged));
    }
    return wire;
  }

  private byte[] failed(ClientQuery query, InetAddress client, Transport transport, Throwable error, long receivedNanos) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Outcome outcome;
    if (cause instanceof UpstreamUnavailableException) {
      outcome = Outcome.UPSTREAM_FAILED;
      log.debug("event=servfail name={} type={} reason={}", query.name(), query.type(), cause.getMessage());
    } else {
      outcome = Outcome.INTERNAL_ERROR;
      log.error("event=internal-error name={} type={}", query.name(), query.type(), cause);
    }
    byte[] wire = answered(query, transport, outcome, receivedNanos, encoder.error(query, Rcode.SERVFAIL));
    if (queryLog.enabled()) {
      queryLog.record(new QueryLog.Entry(query, client, transport, Rcode.SERVFAIL, outcome, System.nanoTime() - receivedNanos, null, null));
    }
    return wire;
  }

  /** A policy's answer, or null (sent nowhere) when it dropped the query. */
  private byte[] intercepted(
      ClientQuery query, InetAddress client, Transport transport, long receivedNanos, Intercept intercept, CachedAnswer answer) {
    byte[] wire = null;
    if (intercept.dropped()) {
      events.answered(transport, query.type(), 0, Outcome.POLICY_DROP, System.nanoTime() - receivedNanos);
    } else {
      wire = answered(query, transport, Outcome.POLICY, receivedNanos, intercept.answer());
    }
    if (queryLog.enabled()) {
      int rcode = wire == null ? -1 : wire.length >= 4 ? wire[3] & 0x0F : Rcode.SERVFAIL;
      queryLog.record(new QueryLog.Entry(query, client, transport, rcode, wire == null ? Outcome.POLICY_DROP : Outcome.POLICY,
          System.nanoTime() - receivedNanos, answer, intercept.decision()));
    }
    return wire;
  }

  private byte[] answered(
      ClientQuery query, Transport transport, Outcome outcome, long receivedNanos, byte[] wire) {
    int rcode = wire.length >= 4 ? wire[3] & 0x0F : Rcode.SERVFAIL;
    events.answered(transport, query.type(), rcode, outcome, System.nanoTime() - receivedNanos);
    return wire;
  }

  private static CompletableFuture<byte[]> done(byte[] wire) {
    return CompletableFuture.completedFuture(wire);
  }
}
