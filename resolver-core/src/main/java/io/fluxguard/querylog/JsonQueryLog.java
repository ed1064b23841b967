package io.fluxguard.querylog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fluxguard.pipeline.Outcome;
import io.fluxguard.pipeline.QueryLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One JSON line per query. The event loop hands the entry, stamped with the time, to a bounded
 * queue that never blocks it (when it is full the entry is dropped, and counted: {@link
 * #dropped()}); a thread of its own formats it (client hashing included) and writes it through a
 * Logback logger into rolling, gzipped files under {@code data-dir/querylog/}. Fields: {@code time, client,
 * transport, name, type, rcode, latency_ms, outcome, cache_hit, upstream, decision, source,
 * action, score, verdict}.
 */
public final class JsonQueryLog implements QueryLog, AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final QueryLogSettings settings;
  private final Clock clock;
  private final ClientHasher hasher;
  /** Lines waiting for the writer: at 5,000 queries/s, three seconds' worth. */
  static final int QUEUE_LINES = 16_384;

  private final Logger logger;
  private final RollingFileAppender<ILoggingEvent> file;
  private final AtomicLong counter = new AtomicLong();
  /** Entries waiting for the writer, which formats them: the event loop only stamps and queues. */
  private final BlockingQueue<Pending> queue;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private volatile boolean closing;

  public JsonQueryLog(QueryLogSettings settings, Path dataDir, Clock clock) throws IOException {
    this(settings, dataDir, clock, QUEUE_LINES, true);
  }

  /** {@code startWriter} false: lines stay queued until {@link #close} (for tests of a full queue). */
  JsonQueryLog(QueryLogSettings settings, Path dataDir, Clock clock, int queueLines, boolean startWriter) throws IOException {
    this.settings = settings;
    this.clock = clock;
    Path dir = dataDir.resolve("querylog");
    Files.createDirectories(dir);
    this.hasher = settings.hashClients() ? new ClientHasher(dataDir.resolve("query-log.key")) : null;
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    file = new RollingFileAppender<>();
    file.setContext(lc);
    file.setName("querylog-file");
    file.setFile(dir.resolve("queries.jsonl").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
    rolling.setContext(lc);
    rolling.setParent(file);
    rolling.setFileNamePattern(dir.resolve("queries.%d{yyyy-MM-dd}.%i.jsonl.gz").toString());
    rolling.setMaxFileSize(FileSize.valueOf(settings.maxFileSize()));
    rolling.setMaxHistory(settings.maxHistoryDays());
    rolling.setTotalSizeCap(FileSize.valueOf(settings.totalSizeCap()));
    rolling.start();
    file.setRollingPolicy(rolling);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(lc);
    encoder.setPattern("%msg%n");
    encoder.start();
    file.setEncoder(encoder);
    file.start();
    logger = lc.getLogger("io.fluxguard.querylog." + INSTANCES.incrementAndGet());
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(file);
    queue = new ArrayBlockingQueue<>(queueLines);
    writer = new Thread(this::writeLines, "fluxguard-querylog");
    writer.setDaemon(true);
    if (startWriter) {
      writer.start();
    }
  }

  private void writeLines() {
    try {
      while (!closing || !queue.isEmpty()) {
        Pending p = queue.poll(200, TimeUnit.MILLISECONDS);
        if (p != null) {
          write(p);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending(Entry entry, Instant time) {}

  private void write(Pending p) {
    logger.info(line(p.entry(), p.time()));
    written.incrementAndGet();
  }

  /** Lines written to the file so far. */
  public long written() {
    return written.get();
  }

  /** Lines dropped because the queue was full (the disk or the writer could not keep up). */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void record(Entry e) {
    if (settings.mode() == QueryLogSettings.Mode.SAMPLED && e.decision() == null
        && counter.getAndIncrement() % settings.sampleOneIn() != 0) {
      return;
    }
    if (closing || !queue.offer(new Pending(e, clock.instant()))) {
      dropped.incrementAndGet();
    }
  }

  String line(Entry e, Instant time) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"time\":\"").append(time).append('"');
    b.append(",\"client\":").append(e.client() == null ? "null" : quoted(client(e)));
    b.append(",\"transport\":\"").append(e.transport().name().toLowerCase(Locale.ROOT)).append('"');
    b.append(",\"name\":").append(quoted(e.query().name().toString(true)));
    b.append(",\"type\":").append(quoted(Type.string(e.query().type())));
    b.append(",\"rcode\":").append(e.rcode() < 0 ? "null" : quoted(Rcode.string(e.rcode())));
    b.append(",\"latency_ms\":").append(String.format(Locale.ROOT, "%.3f", e.nanos() / 1e6));
    b.append(",\"outcome\":\"").append(e.outcome().tag()).append('"');
    b.append(",\"cache_hit\":").append(e.outcome() == Outcome.CACHE_HIT);
    String upstream = e.answer() == null ? null : e.answer().upstream();
    b.append(",\"upstream\":").append(upstream == null ? "null" : quoted(upstream));
    if (e.decision() != null) {
      String decision = !e.decision().enforced() ? "would-block" : e.rcode() < 0 ? "dropped" : "blocked";
      b.append(",\"decision\":\"").append(decision).append('"');
      b.append(",\"source\":\"").append(e.decision().source().key()).append('"');
      b.append(",\"action\":\"").append(e.decision().action().key()).append('"');
    } else {
      b.append(",\"decision\":\"answered\",\"source\":null,\"action\":null");
    }
    var assessment = e.answer() == null ? null : e.answer().assessment();
    if (assessment != null) {
      b.append(",\"score\":").append(String.format(Locale.ROOT, "%.2f", assessment.score()));
      b.append(",\"verdict\":\"").append(assessment.verdict().tag()).append('"');
    } else {
      b.append(",\"score\":null,\"verdict\":null");
    }
    return b.append('}').toString();
  }

  private String client(Entry e) {
    return hasher == null ? e.client().getHostAddress() : hasher.hash(e.client().getAddress());
  }

  private static String quoted(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** Writes what is queued and closes the file. */
  @Override
  public void close() {
    closing = true;
    if (writer.isAlive()) {
      try {
        writer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!writer.isAlive()) {
      for (Pending p; (p = queue.poll()) != null; ) {
        write(p); // the writer was never started (tests) or has stopped
      }
    }
    logger.detachAppender(file);
    file.stop();
  }
}
