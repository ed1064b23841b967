package io.fluxguard.metrics;

import io.fluxguard.blocking.Blocking;
import io.fluxguard.cache.ResponseCache;
import io.fluxguard.detector.FluxDetector;
import io.fluxguard.policy.lists.LoadedList;
import io.fluxguard.querylog.JsonQueryLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges and counters read from fluxguard's state when scraped (nothing on the query path):
 * cache size, detections, rules, list entries, detector state, sinkhole contacts, query log lines.
 */
public final class StateMeters {
  private StateMeters() {}

  public static void bind(MeterRegistry registry, ResponseCache cache, Blocking blocking, FluxDetector detector, JsonQueryLog queryLog) {
    if (queryLog != null) {
      FunctionCounter.builder("fluxguard.querylog.lines", queryLog, JsonQueryLog::written).tag("outcome", "written")
          .description("Query log lines written, and dropped because the queue to the writer was full").register(registry);
      FunctionCounter.builder("fluxguard.querylog.lines", queryLog, JsonQueryLog::dropped).tag("outcome", "dropped")
          .description("Query log lines written, and dropped because the queue to the writer was full").register(registry);
    }
    Gauge.builder("fluxguard.cache.size", cache, ResponseCache::size)
        .description("Answers in the response cache").register(registry);
    Gauge.builder("fluxguard.detections", blocking, b -> b.detections().size())
        .description("Detections kept (in force or awaiting the hourly purge)").register(registry);
    Gauge.builder("fluxguard.rules", blocking, b -> b.rules().count("allow")).tag("kind", "allow")
        .description("Operator rules").register(registry);
    Gauge.builder("fluxguard.rules", blocking, b -> b.rules().count("deny")).tag("kind", "deny")
        .description("Operator rules").register(registry);
    Gauge.builder("fluxguard.list.entries", blocking, b -> b.lists().snapshot().stream().mapToLong(LoadedList::entries).sum())
        .description("Entries in all list subscriptions in force").register(registry);
    FunctionCounter.builder("fluxguard.sinkhole.contacts", blocking, b -> b.hits().recordedSinceStart())
        .description("Connections to the sinkhole listener").register(registry);
    if (detector != null) {
      Gauge.builder("fluxguard.detector.tracked", detector, FluxDetector::trackedNames).tag("kind", "names")
          .description("Names and registered domains with evidence (the evidence store)").register(registry);
      Gauge.builder("fluxguard.detector.tracked", detector, FluxDetector::trackedDomains).tag("kind", "registered-domains")
          .description("Names and registered domains with evidence (the evidence store)").register(registry);
      Gauge.builder("fluxguard.detector.flux.network.addresses", detector, FluxDetector::indexedAddresses)
          .description("Addresses in the flux-network index").register(registry);
    }
  }
}
