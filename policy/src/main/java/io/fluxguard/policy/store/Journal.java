package io.fluxguard.policy.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of records, one per line as {@code <crc32c hex> <text>}, written by one
 * thread that batches whatever is waiting, writes it, and {@code fsync}s once per batch (group
 * commit); a record is acknowledged — its future completes — only after the fsync. Replayed on
 * open: a torn or corrupt last line (a crash mid-write) is cut off with a warning; a corrupt line
 * elsewhere is skipped with a warning naming it. When the file holds more than twice the live
 * records (and at least {@code compactAfter} lines), it is rewritten from the live state into a
 * temporary file, fsynced and atomically renamed over the old one, and the directory fsynced.
 *
 * <p>Why not an embedded database: the records are few (detections and operator rules, thousands
 * rather than millions), read once at start and kept in memory; a line-oriented file is
 * inspectable with {@code less}, and the crash rules are short enough to test (docs/policy.md).
 */
public final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);
  private static final int QUEUE = 65_536;

  private final Path path;
  private final int compactAfter;
  private final Supplier<List<String>> liveRecords;
  private final IntSupplier liveCount;
  private long goodLength; // the file's length after the last acknowledged batch (writer thread only)
  private volatile Throwable failed; // set when the file could not be cut back after a failed write
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread writer;
  private FileChannel channel;
  private long lines;
  private volatile boolean closed;

  private record Pending(String text, CompletableFuture<Void> done) {}

  private static final Pending STOP = new Pending(null, null);

  /**
   * Opens (creating if needed) the journal at {@code path} and replays it into {@code replay}.
   *
   * @param liveRecords the records that make up the state now, for compaction
   * @param liveCount how many records that is (cheap: asked after every batch)
   */
  public Journal(
      Path path, int compactAfter, Supplier<List<String>> liveRecords, IntSupplier liveCount,
      java.util.function.Consumer<String> replay) throws IOException {
    this.path = path;
    this.compactAfter = compactAfter;
    this.liveRecords = liveRecords;
    this.liveCount = liveCount;
    Files.createDirectories(path.toAbsolutePath().getParent());
    boolean existed = Files.exists(path);
    goodLength = replay(replay);
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (!existed) {
      syncDirectory(path.toAbsolutePath().getParent()); // the new file's name survives a power cut
    }
    if (channel.size() > goodLength) {
      channel.truncate(goodLength); // the torn tail: appends start on a line boundary
      channel.force(true);
    }
    channel.position(goodLength);
    writer = new Thread(this::writeLoop, "journal-" + path.getFileName());
    writer.setDaemon(true);
    writer.start();
  }

  /** Replays the file; returns the length of its good prefix. */
  private long replay(java.util.function.Consumer<String> replay) throws IOException {
    if (!Files.exists(path)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(path);
    int pos = 0;
    int number = 0;
    long good = 0;
    while (pos < bytes.length) {
      number++;
      int end = pos;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      boolean complete = end < bytes.length;
      String line = new String(bytes, pos, end - pos, StandardCharsets.UTF_8);
      String text = verified(line);
      if (text != null && complete) {
        try {
          replay.accept(text);
        } catch (RuntimeException e) {
          log.warn("event=journal-record-skipped file={} line={} reason=\"{}\"", path, number, e.getMessage());
        }
        good = end + 1;
        lines++;
      } else if (!complete || end + 1 >= bytes.length) {
        log.warn("event=journal-torn-tail file={} line={} bytes={} (an unfinished write; skipped and cut off)", path, number, end - pos);
        break;
      } else {
        log.warn("event=journal-record-corrupt file={} line={} (checksum or format; skipped)", path, number);
        good = end + 1;
      }
      pos = end + 1;
    }
    return good;
  }

  private static String verified(String line) {
    int space = line.indexOf(' ');
    if (space != 8) {
      return null;
    }
    String text = line.substring(9);
    try {
      long expected = Long.parseLong(line.substring(0, 8), 16);
      return crc(text) == expected ? text : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long crc(String text) {
    CRC32C c = new CRC32C();
    c.update(text.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  private static String line(String text) {
    if (text.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a journal record is one line");
    }
    return String.format(Locale.ROOT, "%08x %s\n", crc(text), text); // \n on every platform
  }

  /**
   * Appends a record; the future completes once it is on disk (fsync), or exceptionally if it
   * could not be written or the journal is closed or overloaded. Never blocks.
   */
  public CompletableFuture<Void> append(String text) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String line = line(text);
    synchronized (queue) { // with close(): nothing is queued behind the STOP, so every future completes
      if (closed) {
        done.completeExceptionally(new IllegalStateException("journal closed: " + path));
      } else if (failed != null) {
        done.completeExceptionally(new IllegalStateException("journal stopped after a write error: " + path, failed));
      } else if (!queue.offer(new Pending(line, done))) {
        done.completeExceptionally(new IllegalStateException("journal queue full: " + path));
      }
    }
    return done;
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch);
      boolean stop = batch.remove(STOP);
      StringBuilder text = new StringBuilder();
      for (Pending p : batch) {
        text.append(p.text());
      }
      if (failed != null) {
        batch.forEach(p -> p.done().completeExceptionally(new IllegalStateException("journal stopped: " + path, failed)));
      } else {
        write(batch, text);
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /**
   * Writes and fsyncs one batch, then acknowledges it. On a write or fsync error the file is cut
   * back to its last good length (no half line for the next batch to be glued onto) and the
   * batch fails; if even that fails, the journal stops taking records (every later append fails
   * at once) rather than acknowledge what it may not keep.
   */
  private void write(List<Pending> batch, StringBuilder text) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
      goodLength = channel.position();
      lines += batch.size();
    } catch (IOException | RuntimeException e) {
      log.error("event=journal-write-failed file={} records={}", path, batch.size(), e);
      batch.forEach(p -> p.done().completeExceptionally(e));
      try {
        channel.truncate(goodLength);
        channel.position(goodLength);
        channel.force(true);
      } catch (IOException | RuntimeException e2) {
        failed = e2;
        log.error("event=journal-stopped file={} reason=\"cannot cut the file back after a failed write\"", path, e2);
      }
      return;
    }
    batch.forEach(p -> p.done().complete(null));
    try {
      maybeCompact();
    } catch (IOException | RuntimeException e) {
      log.error("event=journal-compaction-failed file={} (the journal goes on uncompacted)", path, e);
    }
  }

  private void maybeCompact() throws IOException {
    if (lines < compactAfter || lines <= 2L * liveCount.getAsInt()) {
      return;
    }
    List<String> live = liveRecords.get();
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder text = new StringBuilder();
      for (String r : live) {
        text.append(line(r));
      }
      ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    channel.close();
    try {
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(path.toAbsolutePath().getParent());
      log.info("event=journal-compacted file={} lines-before={} lines-after={}", path, lines, live.size());
      lines = live.size();
    } finally {
      channel = FileChannel.open(path, StandardOpenOption.WRITE); // the new file, or the old one if the rename failed
      goodLength = channel.size();
      channel.position(goodLength);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the rename may not survive a power cut: say so
    }
  }

  /** For tests: wraps the file channel (to inject write faults). Call before any append. */
  void wrapChannel(java.util.function.UnaryOperator<FileChannel> wrapper) {
    channel = wrapper.apply(channel);
  }

  /** Lines in the file (records written since the last compaction included). */
  public long lines() {
    return lines;
  }

  /** Writes what is queued, then stops the writer and closes the file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    synchronized (queue) {
      closed = true;
    }
    try {
      queue.put(STOP);
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }

}
