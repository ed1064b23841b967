package io.fluxguard.blocking;

import io.fluxguard.config.FluxguardConfig;
import io.fluxguard.policy.PolicyEngine;
import io.fluxguard.policy.lists.PolicyLists;
import io.fluxguard.policy.store.DetectionStore;
import io.fluxguard.policy.store.OperatorRules;
import io.fluxguard.protocol.ResponseEncoder;
import io.fluxguard.sinkhole.SinkholeResponder;
import io.fluxguard.sinkhole.listener.BlockedQueries;
import io.fluxguard.sinkhole.listener.SinkholeHits;
import io.fluxguard.sinkhole.listener.SinkholeListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking side of a running fluxguard, built in one place: the operator rules and detections
 * (read from the data directory), the list subscriptions (read now, then checked for changes on
 * their own thread, never an event loop), the policy engine and gate, and the sinkhole listener
 * with its hits.
 */
public final class Blocking implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Blocking.class);
  /** A confirmed detection is rewritten at most this often (its expiry moves on in memory meanwhile). */
  static final Duration DETECTION_REFRESH = Duration.ofHours(1);

  private final OperatorRules rules;
  private final DetectionStore detections;
  private final PolicyLists lists;
  private final PolicyEngine engine;
  private final PolicyGate gate;
  private final BlockedQueries blockedQueries;
  private final SinkholeHits hits;
  private final SinkholeListener listener;
  private final ScheduledExecutorService listChecks;
  private final boolean listening;

  private Blocking(OperatorRules rules, DetectionStore detections, PolicyLists lists, PolicyEngine engine, PolicyGate gate,
      BlockedQueries blockedQueries, SinkholeHits hits, SinkholeListener listener, ScheduledExecutorService listChecks,
      boolean listening) {
    this.listening = listening;
    this.rules = rules;
    this.detections = detections;
    this.lists = lists;
    this.engine = engine;
    this.gate = gate;
    this.blockedQueries = blockedQueries;
    this.hits = hits;
    this.listener = listener;
    this.listChecks = listChecks;
  }

  public static Blocking open(FluxguardConfig config, ResponseEncoder encoder, PolicyEvents events, Clock clock) throws IOException {
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    OperatorRules rules = new OperatorRules(dataDir, config.policy().allow(), config.policy().deny(), clock);
    DetectionStore detections;
    try {
      detections = new DetectionStore(dataDir, config.policy().detectionExpiry(), DETECTION_REFRESH, clock);
    } catch (IOException | RuntimeException e) {
      rules.close();
      throw e;
    }
    log.info("event=policy-state-loaded data-dir={} detections={} allow-rules={} deny-rules={}", dataDir,
        detections.size(), rules.count("allow"), rules.count("deny"));
    PolicyLists lists = new PolicyLists(config.policy().lists());
    lists.reloadAll();
    PolicyEngine engine = new PolicyEngine(config.policy(), lists, rules, detections);
    BlockedQueries blockedQueries = new BlockedQueries();
    PolicyGate gate = new PolicyGate(engine, new SinkholeResponder(config.sinkhole()), encoder, blockedQueries, events, clock);
    SinkholeHits hits = new SinkholeHits(config.sinkholeListener().maxHits(), dataDir.resolve("sinkhole-hits.jsonl"));
    SinkholeListener listener = new SinkholeListener(config.sinkholeListener(), blockedQueries, hits, clock);
    // List checks and detection purges: file reads, on their own thread, never an event loop.
    ScheduledExecutorService listChecks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fluxguard-policy");
      t.setDaemon(true);
      return t;
    });
    if (!config.policy().lists().isEmpty()) {
      long every = config.policy().listCheckInterval().toMillis();
      listChecks.scheduleWithFixedDelay(guarded("list-check", lists::reloadChanged), every, every, TimeUnit.MILLISECONDS);
    }
    listChecks.scheduleWithFixedDelay(guarded("detection-purge", detections::purgeExpired), 1, 1, TimeUnit.HOURS);
    return new Blocking(rules, detections, lists, engine, gate, blockedQueries, hits, listener, listChecks,
        config.sinkholeListener().enabled());
  }

  /** A periodic task that survives its own failures (a thrown task would silently stop repeating). */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) { // even an OutOfMemoryError while two copies of a big list coexist
        log.error("event=policy-task-failed task={}", what, t);
      }
    };
  }

  /**
   * Reads every list again now (SIGHUP, and later the admin API), on the policy thread; the
   * lists in force are swapped when it is done.
   */
  public void reloadLists() {
    reloadLists(failed -> {});
  }

  /** As {@link #reloadLists()}, then {@code done} with the number of lists that failed (their copies kept). */
  public void reloadLists(java.util.function.IntConsumer done) {
    listChecks.execute(() -> {
      int failed = -1;
      try {
        failed = lists.reloadAll();
        log.info("event=lists-reloaded lists={} failed={}", lists.snapshot().size(), failed);
      } catch (Throwable t) {
        log.error("event=policy-task-failed task=list-reload", t);
      } finally {
        done.accept(failed); // -1: the reload itself failed
      }
    });
  }

  /** Starts the sinkhole listener (if configured) and its hit file. */
  public void startListener() throws IOException {
    if (listening) {
      hits.start();
      listener.start();
    }
  }

  public PolicyGate gate() {
    return gate;
  }

  public PolicyEngine engine() {
    return engine;
  }

  public DetectionStore detections() {
    return detections;
  }

  public OperatorRules rules() {
    return rules;
  }

  public PolicyLists lists() {
    return lists;
  }

  public SinkholeHits hits() {
    return hits;
  }

  public SinkholeListener listener() {
    return listener;
  }

  @Override
  public void close() {
    listChecks.shutdownNow();
    listener.close();
    hits.close();
    detections.close();
    rules.close();
  }
}
