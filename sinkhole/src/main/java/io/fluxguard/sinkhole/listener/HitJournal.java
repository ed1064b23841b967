package io.fluxguard.sinkhole.listener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hits file: one JSON line per hit ({@link SinkholeHitJson}), appended by a single writer
 * thread so that callers on event loops never wait for the disk. The queue between them is
 * bounded; when it is full the hit is dropped from the file (it stays in memory) and counted.
 * Each burst of lines is flushed to the operating system when the queue runs empty (no fsync:
 * a process crash loses nothing already flushed, a power cut may lose the last lines).
 *
 * <p>The file is only ever appended to, at its end (O_APPEND): logrotate with copytruncate
 * rotates it while the writer runs (docs/deployment.md, "Files that grow").
 */
final class HitJournal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HitJournal.class);
  private static final Object STOP = new Object();
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final Path file;
  private final SinkholeHitJson json = new SinkholeHitJson();
  private final BlockingQueue<Object> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private Thread writer;
  private volatile boolean closed;

  HitJournal(Path file, int queueCapacity) {
    this.file = file;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
  }

  /**
   * The last {@code max} readable hits in the file, oldest first. A line that is not a hit (a line
   * torn by a crash mid-write, or one edited by hand) is skipped with a warning naming the line.
   */
  List<SinkholeHit> readLast(int max) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    ArrayDeque<String> lines = new ArrayDeque<>();
    ArrayDeque<Long> numbers = new ArrayDeque<>();
    // A reader that replaces bytes which are not UTF-8, so a torn character fails one line only.
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      long number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        lines.addLast(line);
        numbers.addLast(number);
        if (lines.size() > max) {
          lines.removeFirst();
          numbers.removeFirst();
        }
      }
    }
    List<SinkholeHit> hits = new ArrayList<>(lines.size());
    while (!lines.isEmpty()) {
      String line = lines.removeFirst();
      long number = numbers.removeFirst();
      try {
        hits.add(json.fromLine(line));
      } catch (IOException e) {
        log.warn("event=sinkhole-hits-line-skipped file={} line={} error=\"{}\"", file, number,
            e.getMessage());
      }
    }
    return hits;
  }

  /** Opens the file for appending (creating it and its directory) and starts the writer thread. */
  void start() throws IOException {
    if (writer != null || closed) {
      throw new IllegalStateException("sinkhole hits file " + file + " already started or closed");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean endsTorn = endsWithoutNewline(file);
    Writer out =
        Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    if (endsTorn) {
      // End the torn line, so that it stays one bad line and the next hit starts a good one.
      out.write('\n');
      out.flush();
    }
    writer = new Thread(() -> writeUntilStopped(out), "fluxguard-sinkhole-hits-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Queues {@code hit} for the file; never waits. Returns false if it was dropped. */
  boolean append(SinkholeHit hit) {
    if (closed || !queue.offer(hit)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Hits left out of the file because the queue was full or the journal closed. */
  long dropped() {
    return dropped.get();
  }

  /** Hits that reached the writer but could not be written (disk full, file removed...). */
  long failed() {
    return failed.get();
  }

  /** Writes what is queued, flushes, and stops the writer thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (writer == null) {
      return;
    }
    try {
      if (!queue.offer(STOP, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        writer.interrupt();
      }
      writer.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
      if (writer.isAlive()) {
        writer.interrupt();
        log.warn("event=sinkhole-hits-writer-stuck file={}", file);
      }
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private void writeUntilStopped(Writer out) {
    try (out) {
      while (true) {
        Object next = queue.take();
        while (next != null && next != STOP) {
          write(out, (SinkholeHit) next);
          next = queue.poll();
        }
        flush(out);
        if (next == STOP) {
          return;
        }
      }
    } catch (InterruptedException e) {
      log.warn("event=sinkhole-hits-writer-interrupted file={} unwritten={}", file, queue.size());
    } catch (IOException e) {
      log.warn("event=sinkhole-hits-close-failed file={} error=\"{}\"", file, e.getMessage());
    }
  }

  private void write(Writer out, SinkholeHit hit) {
    try {
      out.write(json.toLine(hit));
      out.write('\n');
    } catch (IOException e) {
      failed(e);
    }
  }

  private void flush(Writer out) {
    try {
      out.flush();
    } catch (IOException e) {
      failed(e);
    }
  }

  private void failed(IOException e) {
    // Warn on the first failure and every thousandth, not on every hit while the disk stays full.
    long failures = failed.incrementAndGet();
    if (failures == 1 || failures % 1000 == 0) {
      log.warn("event=sinkhole-hits-write-failed file={} failures={} error=\"{}\"", file, failures,
          e.getMessage());
    }
  }

  private static boolean endsWithoutNewline(Path file) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      channel.read(last, size - 1);
      return last.get(0) != '\n';
    }
  }
}
