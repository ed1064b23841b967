package io.fluxguard.upstream;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import io.fluxguard.cache.CacheKey;

/**
 * Brings failed upstreams back: every probe interval each upstream marked down is asked for the
 * root NS set, and any validated answer marks it up again.
 */
public final class UpstreamProber implements AutoCloseable {
  private static final CacheKey PROBE = new CacheKey(Name.root, Type.NS, DClass.IN, false, false);

  private final UpstreamForwarder forwarder;
  private final UpstreamSettings settings;
  private ScheduledFuture<?> task;

  public UpstreamProber(UpstreamForwarder forwarder, UpstreamSettings settings) {
    this.forwarder = forwarder;
    this.settings = settings;
  }

  public synchronized void start(ScheduledExecutorService scheduler) {
    long interval = settings.probeInterval().toMillis();
    task =
        scheduler.scheduleWithFixedDelay(
            () -> probe(scheduler), interval, interval, TimeUnit.MILLISECONDS);
  }

  private void probe(ScheduledExecutorService scheduler) {
    for (Upstream upstream : forwarder.upstreams()) {
      if (!upstream.isUp()) {
        long start = System.nanoTime();
        forwarder
            .send(upstream, UpstreamForwarder.newQuery(PROBE, settings.ednsPayloadSize()), scheduler)
            .whenComplete(
                (response, error) ->
                    forwarder.record(
                        upstream, UpstreamForwarder.classify(response, error), System.nanoTime() - start));
      }
    }
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
