package io.fluxguard.admin;

import io.fluxguard.blocking.Blocking;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.upstream.Upstream;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the admin API reads and changes, handed over by {@code Fluxguard.start}.
 *
 * @param blocking the policy, its stores, lists and sinkhole hits
 * @param cache the response cache
 * @param detector the flux detector, or null when {@code detector.mode: off}
 * @param upstreams the upstream resolvers and their health
 * @param registry the metrics (scraped by {@code /metrics} when it is a Prometheus registry)
 * @param ready whether the DNS server is answering
 * @param audit where changes are recorded
 * @param clock wall-clock time
 * @param started when fluxguard started
 */
public record AdminContext(
    Blocking blocking,
    ResponseCache cache,
    FluxDetector detector,
    List<Upstream> upstreams,
    MeterRegistry registry,
    BooleanSupplier ready,
    AuditLog audit,
    Clock clock,
    Instant started) {}
