package io.fluxguard.upstream;

import io.fluxguard.cache.CacheKey;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.WireParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends questions to the upstream resolvers, asynchronously.
 *
 * <p>Each question goes to the healthy upstreams in configured order, then to the down ones; a
 * timeout, socket error, invalid answer or failure RCODE moves on to the next, cycling until the
 * overall bound runs out. dnsjava's {@code SimpleResolver} supplies what RFC 5452 asks of a
 * client: a random ID (set here) and a random source port per query, a connected socket so only
 * the upstream's address and port are accepted, the ID and question checked against the query,
 * and a retry over TCP when the UDP answer is truncated.
 *
 * <p>Identical questions in flight at once are coalesced one level up, in the query pipeline,
 * so that the answer is also cached once.
 */
public final class UpstreamForwarder {
  private static final Logger log = LoggerFactory.getLogger(UpstreamForwarder.class);

  private final UpstreamSettings settings;
  private final List<Upstream> upstreams;
  private final UpstreamEvents events;

  public UpstreamForwarder(UpstreamSettings settings, UpstreamEvents events) {
    this.settings = settings;
    this.events = events;
    List<Upstream> list = new ArrayList<>();
    for (var address : settings.servers()) {
      list.add(new Upstream(address, settings.timeout(), settings.failureThreshold()));
    }
    this.upstreams = List.copyOf(list);
  }

  public List<Upstream> upstreams() {
    return upstreams;
  }

  /**
   * Resolves {@code key} upstream. The returned future completes, on {@code executor} or on a
   * dnsjava I/O thread, with a validated answer or with {@link UpstreamUnavailableException}.
   */
  public CompletableFuture<UpstreamAnswer> resolve(CacheKey key, ScheduledExecutorService executor) {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    new Exchange(key, result, executor).start();
    return result;
  }

  /** Upstreams to try, healthy ones first, each group in configured order. */
  private List<Upstream> attemptOrder() {
    List<Upstream> order = new ArrayList<>(upstreams.size());
    for (Upstream u : upstreams) {
      if (u.isUp()) {
        order.add(u);
      }
    }
    for (Upstream u : upstreams) {
      if (!u.isUp()) {
        order.add(u);
      }
    }
    return order;
  }

  static Message newQuery(CacheKey key, int ednsPayloadSize) {
    Message query = Message.newQuery(Record.newRecord(key.name(), key.type(), key.dclass()));
    if (key.checkingDisabled()) {
      query.getHeader().setFlag(Flags.CD);
    }
    // RFC 6840 §5.8: ask for the AD bit even without DO; the encoder passes it on only to
    // clients that asked for it themselves.
    query.getHeader().setFlag(Flags.AD);
    // Only the DO bit travels upstream; other client EDNS options (ECS, cookies) stay here.
    query.addRecord(
        new OPTRecord(ednsPayloadSize, 0, 0, key.dnssecOk() ? ExtendedFlags.DO : 0),
        Section.ADDITIONAL);
    return query;
  }

  /** Sends {@code query} to one upstream; the caller records the outcome with {@link #record}. */
  CompletableFuture<Message> send(Upstream upstream, Message query, ScheduledExecutorService executor) {
    return upstream.resolver().sendAsync(query, executor).toCompletableFuture();
  }

  /** Counts one attempt's outcome and updates the upstream's health. */
  void record(Upstream upstream, UpstreamOutcome outcome, long nanos) {
    events.attempt(upstream, outcome, nanos);
    boolean changed =
        outcome == UpstreamOutcome.ANSWER || outcome == UpstreamOutcome.RCODE_FAILURE
            ? upstream.recordSuccess()
            : upstream.recordFailure();
    if (changed) {
      log.warn("event=upstream-health upstream={} up={}", upstream.label(), upstream.isUp());
      events.healthChanged(upstream, upstream.isUp());
    }
  }

  /**
   * What the client gets when every upstream answered with an error: SERVFAIL, as from Unbound or
   * BIND forwarding. An upstream's REFUSED or NOTIMP is about us, its client; passed on, it would
   * tell the workstation that fluxguard refused it.
   */
  static Message asServfail(Message response) {
    if (response.getRcode() == Rcode.SERVFAIL) {
      return response;
    }
    Message m = new Message(response.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    for (int flag : new int[] {Flags.RD, Flags.RA, Flags.CD}) {
      if (response.getHeader().getFlag(flag)) {
        m.getHeader().setFlag(flag);
      }
    }
    m.getHeader().setRcode(Rcode.SERVFAIL);
    if (response.getQuestion() != null) {
      m.addRecord(response.getQuestion(), Section.QUESTION);
    }
    return m;
  }

  static UpstreamOutcome classify(Message response, Throwable error) {
    if (error == null && (!response.getHeader().getFlag(Flags.QR) || response.getHeader().getOpcode() != Opcode.QUERY)) {
      return UpstreamOutcome.INVALID; // dnsjava does not check that the reply is a reply
    }
    if (error == null && response.getHeader().getFlag(Flags.TC)) {
      // dnsjava has already asked again over TCP: truncated there too, the upstream is broken
      return UpstreamOutcome.INVALID;
    }
    if (error == null) {
      int rcode = response.getRcode();
      // YXDOMAIN: a DNAME made the name too long (RFC 6672 section 2.2), a final answer
      return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN || rcode == Rcode.YXDOMAIN
          ? UpstreamOutcome.ANSWER
          : UpstreamOutcome.RCODE_FAILURE;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof SocketTimeoutException) {
      return UpstreamOutcome.TIMEOUT;
    }
    if (cause instanceof WireParseException) {
      return UpstreamOutcome.INVALID;
    }
    return UpstreamOutcome.IO_ERROR;
  }

  /** One question's journey across the upstreams. */
  private final class Exchange {
    private final CacheKey key;
    private final CompletableFuture<UpstreamAnswer> result;
    private final ScheduledExecutorService executor;
    private final List<Upstream> order = attemptOrder();
    private final int maxAttempts =
        order.size()
            * (int) Math.max(1, Math.ceil((double) settings.timeout().toMillis() / settings.attemptTimeout().toMillis()));
    private int attempts;
    private int rcodeFailures;
    private UpstreamAnswer fallback;
    private ScheduledFuture<?> deadline;

    Exchange(CacheKey key, CompletableFuture<UpstreamAnswer> result, ScheduledExecutorService executor) {
      this.key = key;
      this.result = result;
      this.executor = executor;
    }

    void start() {
      deadline =
          executor.schedule(this::expire, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
      next();
    }

    private void expire() {
      synchronized (this) {
        if (result.isDone()) {
          return;
        }
        if (fallback != null) {
          result.complete(fallback);
          return;
        }
      }
      events.exhausted();
      result.completeExceptionally(
          new UpstreamUnavailableException(
              "no upstream answered " + key.name() + " within " + settings.timeout().toMillis() + " ms"));
    }

    private synchronized void next() {
      if (result.isDone()) {
        return;
      }
      if (attempts >= maxAttempts) {
        // Every upstream failed fast (for example refused connections): no point spinning
        // until the bound.
        deadline.cancel(false);
        if (fallback != null) {
          result.complete(fallback);
        } else {
          events.exhausted();
          result.completeExceptionally(
              new UpstreamUnavailableException("all " + attempts + " attempts at upstreams failed for " + key.name()));
        }
        return;
      }
      Upstream upstream = order.get(attempts++ % order.size());
      Attempt attempt = new Attempt(upstream, System.nanoTime());
      // dnsjava checks its own timeouts only about once a second, so each attempt has its own
      // timer here; the dnsjava exchange stays open until the overall bound for a late answer.
      attempt.timer =
          executor.schedule(
              () -> onTimeout(attempt), settings.attemptTimeout().toNanos(), TimeUnit.NANOSECONDS);
      send(upstream, newQuery(key, settings.ednsPayloadSize()), executor)
          .whenComplete((response, error) -> onResult(attempt, response, error));
    }

    private void onTimeout(Attempt attempt) {
      synchronized (this) {
        if (attempt.settled || result.isDone()) {
          return;
        }
        attempt.settled = true;
      }
      record(attempt.upstream, UpstreamOutcome.TIMEOUT, System.nanoTime() - attempt.startNanos);
      next();
    }

    private void onResult(Attempt attempt, Message response, Throwable error) {
      UpstreamOutcome outcome = classify(response, error);
      boolean late;
      synchronized (this) {
        late = attempt.settled;
        attempt.settled = true;
        attempt.timer.cancel(false);
      }
      if (!late) {
        record(attempt.upstream, outcome, System.nanoTime() - attempt.startNanos);
      }
      synchronized (this) {
        if (result.isDone()) {
          return;
        }
        if (outcome == UpstreamOutcome.ANSWER) {
          // A late answer is as good as a prompt one.
          deadline.cancel(false);
          result.complete(new UpstreamAnswer(response, attempt.upstream));
          return;
        }
        if (late) {
          return; // the next attempt was already started by the timer
        }
        if (outcome == UpstreamOutcome.RCODE_FAILURE) {
          fallback = new UpstreamAnswer(asServfail(response), attempt.upstream);
          if (++rcodeFailures >= order.size()) {
            // Every upstream has answered, none usefully: pass the last answer on now.
            deadline.cancel(false);
            result.complete(fallback);
            return;
          }
        }
      }
      next();
    }
  }

  /** One try at one upstream. */
  private static final class Attempt {
    final Upstream upstream;
    final long startNanos;
    ScheduledFuture<?> timer;
    boolean settled;

    Attempt(Upstream upstream, long startNanos) {
      this.upstream = upstream;
      this.startNanos = startNanos;
    }
  }
}
