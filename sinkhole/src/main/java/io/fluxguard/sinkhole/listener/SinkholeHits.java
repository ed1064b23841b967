package io.fluxguard.sinkhole.listener;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The record of sinkhole hits: which workstations connected to the sinkhole address, for what,
 * and after which blocked query. The admin API reads it through {@link #list} and {@link
 * #clients}.
 *
 * <p>The most recent {@code maxHits} hits are kept in memory, newest first. With a file, every
 * hit is also appended to it as one JSON line by a writer thread (see {@link HitJournal}), and
 * {@link #start} reloads the file's last {@code maxHits} hits, so a restart keeps the picture.
 * {@link #record} never blocks: it is called on the listener's event loop.
 */
public final class SinkholeHits implements AutoCloseable {
  /** Hits waiting for the writer thread; past this they are left out of the file and counted. */
  static final int JOURNAL_QUEUE_CAPACITY = 4096;

  private final int maxHits;
  private final HitJournal journal;
  private final ArrayDeque<SinkholeHit> newestFirst = new ArrayDeque<>(); // guarded by this

  /**
   * @param maxHits the most hits kept in memory (and reloaded at start)
   * @param file the JSON-lines file to append to and reload from, e.g. {@code
   *     <data-dir>/sinkhole-hits.jsonl}; null keeps hits in memory only
   */
  public SinkholeHits(int maxHits, Path file) {
    this(maxHits, file, JOURNAL_QUEUE_CAPACITY);
  }

  SinkholeHits(int maxHits, Path file, int journalQueueCapacity) {
    if (maxHits < 1) {
      throw new IllegalArgumentException("sinkhole max hits must be >= 1, got " + maxHits);
    }
    this.maxHits = maxHits;
    this.journal = file == null ? null : new HitJournal(file, journalQueueCapacity);
  }

  /**
   * Reloads the file's last hits and starts appending to it; nothing to do without a file. Call
   * once, before the listener starts.
   *
   * @throws IOException if the file or its directory cannot be read, created or opened
   */
  public void start() throws IOException {
    if (journal == null) {
      return;
    }
    List<SinkholeHit> reloaded = journal.readLast(maxHits);
    synchronized (this) {
      // Reloaded hits are older than any recorded before start(): they go behind them.
      for (int i = reloaded.size() - 1; i >= 0 && newestFirst.size() < maxHits; i--) {
        newestFirst.addLast(reloaded.get(i));
      }
    }
    journal.start();
  }

  /** Keeps {@code hit} (dropping the oldest past the bound) and queues it for the file. */
  public void record(SinkholeHit hit) {
    recorded.incrementAndGet();
    for (java.util.function.Consumer<SinkholeHit> l : listeners) {
      l.accept(hit); // listeners must not block (the alerts only queue)
    }
    synchronized (this) {
      newestFirst.addFirst(hit);
      if (newestFirst.size() > maxHits) {
        newestFirst.removeLast();
      }
    }
    if (journal != null) {
      journal.append(hit);
    }
  }

  private final java.util.concurrent.atomic.AtomicLong recorded = new java.util.concurrent.atomic.AtomicLong();
  private final List<java.util.function.Consumer<SinkholeHit>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Calls {@code listener} with every hit recorded from now on (on the listener's event loop: it must not block). */
  public void onHit(java.util.function.Consumer<SinkholeHit> listener) {
    listeners.add(listener);
  }

  /** Hits recorded since start (a counter for metrics; the ring keeps only the newest). */
  public long recordedSinceStart() {
    return recorded.get();
  }

  /**
   * The kept hits that match every given filter, newest first.
   *
   * @param client only this workstation's hits; null for all
   * @param name only hits whose host or queried name is this (case and trailing dot ignored); null
   *     for all
   * @param since only hits at or after this time; null for no lower bound
   * @param until only hits before this time; null for no upper bound
   * @param limit the most hits returned
   */
  public List<SinkholeHit> list(
      InetAddress client, String name, Instant since, Instant until, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    String wanted = name == null ? null : BlockedQueries.normalize(name);
    List<SinkholeHit> matches = new ArrayList<>(Math.min(limit, 256));
    synchronized (this) {
      for (SinkholeHit hit : newestFirst) {
        if (matches.size() >= limit) {
          break;
        }
        boolean match =
            (client == null || client.equals(hit.client()))
                && (wanted == null || hit.mentions(wanted))
                && (since == null || !hit.time().isBefore(since))
                && (until == null || hit.time().isBefore(until));
        if (match) {
          matches.add(hit);
        }
      }
    }
    return matches;
  }

  /** The workstations among the kept hits, most hits first (then the most recent first). */
  public List<ClientActivity> clients() {
    Map<InetAddress, Tally> tallies = new HashMap<>();
    synchronized (this) {
      for (SinkholeHit hit : newestFirst) {
        tallies.computeIfAbsent(hit.client(), c -> new Tally()).add(hit);
      }
    }
    List<ClientActivity> ranked = new ArrayList<>(tallies.size());
    tallies.forEach(
        (client, t) -> ranked.add(new ClientActivity(client, t.hits, t.last, t.names.size())));
    ranked.sort(
        Comparator.comparingLong(ClientActivity::hits).reversed()
            .thenComparing(ClientActivity::lastHit, Comparator.reverseOrder())
            .thenComparing(a -> a.client().getHostAddress()));
    return ranked;
  }

  /** How many hits are kept in memory. */
  public synchronized int size() {
    return newestFirst.size();
  }

  /** Hits left out of the file: its queue was full, or writing failed. Zero without a file. */
  public long unwrittenHits() {
    return journal == null ? 0 : journal.dropped() + journal.failed();
  }

  /** Writes the queued hits to the file, flushes it and stops its writer thread. */
  @Override
  public void close() {
    if (journal != null) {
      journal.close();
    }
  }

  private static final class Tally {
    long hits;
    Instant last;
    final Set<String> names = new HashSet<>();

    void add(SinkholeHit hit) {
      hits++;
      if (last == null || hit.time().isAfter(last)) {
        last = hit.time();
      }
      if (hit.name() != null) {
        names.add(hit.name().toLowerCase(Locale.ROOT));
      }
    }
  }
}
