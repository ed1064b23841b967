package io.fluxguard.metrics;

import io.fluxguard.blocking.PolicyEvents;
import io.fluxguard.detection.DetectionEvents;
import io.fluxguard.policy.Decision;
import io.fluxguard.detector.score.Verdict;
import io.fluxguard.pipeline.Outcome;
import io.fluxguard.pipeline.QueryEvents;
import io.fluxguard.pipeline.Transport;
import io.fluxguard.protocol.DecodeResult;
import io.fluxguard.upstream.Upstream;
import io.fluxguard.upstream.UpstreamEvents;
import io.fluxguard.upstream.UpstreamOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;

/**
 * Query and upstream events as Micrometer meters. Tags are bounded: transport, outcome, RCODE
 * (16 values), drop/reject reason, and upstream (one per configured server). Query meters are
 * built up front so the hot path only looks them up in arrays.
 */
public final class MicrometerEvents implements QueryEvents, UpstreamEvents, DetectionEvents, PolicyEvents {
  /** RCODEs 0..23: the header's 16 and the extended ones fluxguard sends (BADVERS = 16). */
  private static final int RCODES = 24;

  private final MeterRegistry registry;
  private final Counter[][][] answered; // [transport][outcome][rcode]
  private final Timer[] latency; // [transport]
  private final Counter[][] dropped; // [transport][reason]
  private final Counter[][] rejected; // [transport][reason]
  private final Counter tcpRefused;
  private final Counter coalesced;
  private final Counter exhausted;
  private final Counter[] assessments; // [verdict]
  private final Timer detectorLatency;
  private final Map<String, Timer> upstreamTimers = new ConcurrentHashMap<>();
  private final Map<String, Counter> confirmations = new ConcurrentHashMap<>();

  public MicrometerEvents(MeterRegistry registry) {
    this.registry = registry;
    this.byType = typeCounters();
    this.scrubbed = Counter.builder("fluxguard.upstream.scrubbed")
        .description("Records removed from upstream answers as outside the question's bailiwick (RFC 5452)")
        .register(registry);
    this.overloaded = Counter.builder("fluxguard.upstream.overloaded")
        .description("Questions answered SERVFAIL at once because upstream.max-inflight exchanges were in flight")
        .register(registry);
    Transport[] transports = Transport.values();
    Outcome[] outcomes = Outcome.values();
    answered = new Counter[transports.length][outcomes.length][RCODES];
    latency = new Timer[transports.length];
    dropped = new Counter[transports.length][DecodeResult.DropReason.values().length];
    rejected = new Counter[transports.length][DecodeResult.RejectReason.values().length];
    for (Transport t : transports) {
      for (Outcome o : outcomes) {
        for (int rcode = 0; rcode < RCODES; rcode++) {
          answered[t.ordinal()][o.ordinal()][rcode] =
              Counter.builder("fluxguard.queries")
                  .description("Queries answered")
                  .tag("transport", t.tag())
                  .tag("outcome", o.tag())
                  .tag("rcode", Rcode.string(rcode))
                  .register(registry);
        }
      }
      latency[t.ordinal()] =
          Timer.builder("fluxguard.query.latency")
              .description("Time from receipt of a query to its answer being ready")
              .tag("transport", t.tag())
              .publishPercentileHistogram()
              // Cache hits take microseconds: buckets from 10 µs (Micrometer's default starts at 1 ms).
              .minimumExpectedValue(java.time.Duration.ofNanos(10_000))
              .maximumExpectedValue(java.time.Duration.ofSeconds(10))
              .register(registry);
      for (DecodeResult.DropReason r : DecodeResult.DropReason.values()) {
        dropped[t.ordinal()][r.ordinal()] =
            Counter.builder("fluxguard.packets.dropped")
                .description("Packets dropped without an answer")
                .tag("transport", t.tag())
                .tag("reason", r.tag())
                .register(registry);
      }
      for (DecodeResult.RejectReason r : DecodeResult.RejectReason.values()) {
        rejected[t.ordinal()][r.ordinal()] =
            Counter.builder("fluxguard.queries.rejected")
                .description("Queries answered with FORMERR, NOTIMP, BADVERS or REFUSED")
                .tag("transport", t.tag())
                .tag("reason", r.tag())
                .register(registry);
      }
    }
    tcpRefused =
        Counter.builder("fluxguard.tcp.connections.refused")
            .description("TCP connections closed because the connection cap was reached")
            .register(registry);
    coalesced =
        Counter.builder("fluxguard.upstream.coalesced")
            .description("Queries that joined an identical upstream query already in flight")
            .register(registry);
    assessments = new Counter[Verdict.values().length];
    for (Verdict v : Verdict.values()) {
      assessments[v.ordinal()] =
          Counter.builder("fluxguard.detector.assessments")
              .description("Upstream answers assessed by the flux detector, by verdict")
              .tag("verdict", v.tag())
              .register(registry);
    }
    detectorLatency =
        Timer.builder("fluxguard.detector.latency")
            .description("Time to observe and score one upstream answer")
            .register(registry);
    exhausted =
        Counter.builder("fluxguard.upstream.exhausted")
            .description("Questions no upstream answered within the overall bound")
            .register(registry);
  }

  @Override
  public void dropped(Transport transport, DecodeResult.DropReason reason) {
    dropped[transport.ordinal()][reason.ordinal()].increment();
  }

  @Override
  public void rejected(Transport transport, DecodeResult.RejectReason reason) {
    rejected[transport.ordinal()][reason.ordinal()].increment();
  }

  @Override
  public void answered(Transport transport, int qtype, int rcode, Outcome outcome, long nanos) {
    answered[transport.ordinal()][outcome.ordinal()][Math.min(Math.max(rcode, 0), RCODES - 1)].increment();
    byType[typeBucket(qtype)].increment();
    latency[transport.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void tcpConnectionRefused() {
    tcpRefused.increment();
  }

  @Override
  public void attempt(Upstream upstream, UpstreamOutcome outcome, long nanos) {
    upstreamTimers
        .computeIfAbsent(
            upstream.label() + "|" + outcome.tag(),
            k ->
                Timer.builder("fluxguard.upstream.requests")
                    .description("Attempts at one upstream, by outcome")
                    .tag("upstream", upstream.label())
                    .tag("outcome", outcome.tag())
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void coalesced() {
    coalesced.increment();
  }

  private final Counter overloaded;
  private final Counter scrubbed;

  @Override
  public void scrubbed(int records) {
    scrubbed.increment(records);
  }

  @Override
  public void upstreamOverloaded() {
    overloaded.increment();
  }

  @Override
  public void assessed(Verdict verdict, long nanos) {
    assessments[verdict.ordinal()].increment();
    detectorLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void confirmation(String outcome) {
    confirmations
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder("fluxguard.detector.confirmations")
                    .description("Active confirmation of suspicious names, by outcome")
                    .tag("outcome", o)
                    .register(registry))
        .increment();
  }

  @Override
  public void exhausted() {
    exhausted.increment();
  }

  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

  @Override
  public void decided(Decision d) {
    // Bounded: 6 sources × 3 modes × 6 actions at most.
    decisions
        .computeIfAbsent(
            d.source().key() + "|" + d.mode().key() + "|" + d.action().key(),
            k ->
                Counter.builder("fluxguard.policy.decisions")
                    .description("Policy matches: blocked (mode enforce) or would have blocked (mode monitor)")
                    .tag("source", d.source().key())
                    .tag("mode", d.mode().key())
                    .tag("action", d.action().key())
                    .register(registry))
        .increment();
  }

  // Query types as a bounded tag: the common ones by name, the rest as "other".
  private static final int[] COMMON_TYPES = {
    org.xbill.DNS.Type.A, org.xbill.DNS.Type.AAAA, org.xbill.DNS.Type.CNAME, org.xbill.DNS.Type.MX,
    org.xbill.DNS.Type.TXT, org.xbill.DNS.Type.NS, org.xbill.DNS.Type.SOA, org.xbill.DNS.Type.PTR,
    org.xbill.DNS.Type.SRV, org.xbill.DNS.Type.HTTPS, org.xbill.DNS.Type.SVCB, org.xbill.DNS.Type.DS,
    org.xbill.DNS.Type.DNSKEY, org.xbill.DNS.Type.ANY
  };
  private final Counter[] byType;

  private Counter[] typeCounters() {
    Counter[] out = new Counter[COMMON_TYPES.length + 1];
    for (int i = 0; i <= COMMON_TYPES.length; i++) {
      String tag = i < COMMON_TYPES.length ? org.xbill.DNS.Type.string(COMMON_TYPES[i]) : "other";
      out[i] = Counter.builder("fluxguard.queries.types").description("Queries answered, by query type")
          .tag("type", tag).register(registry);
    }
    return out;
  }

  private static int typeBucket(int qtype) {
    for (int i = 0; i < COMMON_TYPES.length; i++) {
      if (COMMON_TYPES[i] == qtype) {
        return i;
      }
    }
    return COMMON_TYPES.length;
  }
}
