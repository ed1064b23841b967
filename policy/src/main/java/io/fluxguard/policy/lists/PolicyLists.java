package io.fluxguard.policy.lists;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list subscriptions as one immutable snapshot, swapped whole on reload so queries never wait
 * and never see half a list. A list that fails to load keeps the copy it had (none at start) and
 * the failure is logged with its file, line and reason.
 */
public final class PolicyLists {
  private static final Logger log = LoggerFactory.getLogger(PolicyLists.class);

  private final List<ListSettings> settings;
  private final AtomicReference<List<LoadedList>> current = new AtomicReference<>(List.of());
  // Lists whose file failed to load, by the file stamp that failed: not retried (nor logged
  // again) by the periodic check until the file changes.
  private final java.util.Map<String, FileStamp> failedStamps = new java.util.HashMap<>();

  public PolicyLists(List<ListSettings> settings) {
    this.settings = List.copyOf(settings);
  }

  /** The lists now in force, in configuration order. */
  public List<LoadedList> snapshot() {
    return current.get();
  }

  /** Reads every list (at start, or on demand). Returns the number that failed. */
  public synchronized int reloadAll() {
    return reload(true);
  }

  /** Re-reads the lists whose file changed (modification time or size). Returns the number that failed. */
  public synchronized int reloadChanged() {
    return reload(false);
  }

  private int reload(boolean all) {
    List<LoadedList> before = current.get();
    List<LoadedList> after = new ArrayList<>(settings.size());
    int failed = 0;
    for (ListSettings s : settings) {
      LoadedList previous = find(before, s.name());
      if (!all && previous != null && !changed(previous)) {
        after.add(previous);
        continue;
      }
      FileStamp failedStamp = failedStamps.get(s.name());
      if (!all && failedStamp != null && failedStamp.equals(FileStamp.of(s.path()))) {
        if (previous != null) {
          after.add(previous);
        }
        failed++;
        continue;
      }
      long start = System.nanoTime();
      try {
        LoadedList loaded = ListReader.read(s);
        if (!all && previous != null && previous.entries() > 0 && loaded.entries() == 0) {
          // A file caught half-written (or emptied by a failed download): keep what we had.
          throw new ListLoadException(s.path() + ": no entries (the previous copy had " + previous.entries()
              + "); write list files to a temporary name and rename them into place");
        }
        after.add(loaded);
        failedStamps.remove(s.name());
        log.info("event=list-loaded list={} file={} format={} entries={} skipped={} ms={}",
            s.name(), s.path(), loaded.format().key(), loaded.entries(), loaded.skipped(), (System.nanoTime() - start) / 1_000_000);
        for (String problem : loaded.problems()) {
          log.warn("event=list-line-skipped list={} problem=\"{}\"", s.name(), problem);
        }
        if (loaded.skipped() > loaded.problems().size()) {
          log.warn("event=list-lines-skipped list={} skipped={} (the first {} are logged; adblock rules that are not about whole domains count too)",
              s.name(), loaded.skipped(), loaded.problems().size());
        }
      } catch (ListLoadException e) {
        failed++;
        if (previous != null) {
          after.add(previous);
        }
        failedStamps.put(s.name(), FileStamp.of(s.path()));
        log.error("event=list-failed list={} problem=\"{}\" kept={}", s.name(), e.getMessage(),
            previous == null ? "nothing (no earlier copy)" : "the copy loaded at " + previous.loadedAt());
      }
    }
    current.set(List.copyOf(after));
    return failed;
  }

  private static LoadedList find(List<LoadedList> lists, String name) {
    for (LoadedList l : lists) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    return null;
  }

  /** A file's modification time and size; NONE when it cannot be read. */
  private record FileStamp(long modified, long size) {
    static final FileStamp NONE = new FileStamp(-1, -1);

    static FileStamp of(java.nio.file.Path path) {
      try {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(a.lastModifiedTime().toMillis(), a.size());
      } catch (IOException e) {
        return NONE;
      }
    }
  }

  private static boolean changed(LoadedList list) {
    FileStamp now = FileStamp.of(list.settings().path());
    // gone or unreadable counts as changed: try, fail, and say so (the copy is kept)
    return now == FileStamp.NONE || !now.equals(new FileStamp(list.modified(), list.size()));
  }
}
