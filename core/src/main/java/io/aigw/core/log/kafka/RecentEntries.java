package io.aigw.core.log.kafka;

import io.aigw.core.event.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The entries the tail delivered last, up to a byte budget, so that reading what was just committed
 * (a listener that fell behind, the admin API's newest pages, a follower catching up) does not cost
 * a fetch from the broker per read. Thread-safe: the tail adds, readers copy.
 */
final class RecentEntries {

  private record Kept(LogEntry entry, int bytes) {}

  private final ConcurrentSkipListMap<Long, Kept> entries = new ConcurrentSkipListMap<>();
  private final long budget;
  private long bytes;

  RecentEntries(long budget) {
    this.budget = budget;
  }

  /**
   * Keeps {@code entry}, the next seq after the last one kept; forgets the oldest beyond budget.
   */
  synchronized void add(LogEntry entry, int size) {
    entries.put(entry.seq(), new Kept(entry, size));
    bytes += size;
    while (bytes > budget && entries.size() > 1) {
      Map.Entry<Long, Kept> oldest = entries.pollFirstEntry();
      bytes -= oldest.getValue().bytes();
    }
  }

  /**
   * Up to {@code limit} entries from {@code from} to {@code last}, when all of them are still kept;
   * null when some are not (read them from the broker).
   */
  List<LogEntry> read(long from, int limit, long last) {
    List<LogEntry> out = new ArrayList<>(Math.min(limit, 1024));
    if (limit == 0 || from > last) {
      return out;
    }
    long expected = from;
    for (Kept kept : entries.subMap(from, true, last, true).values()) {
      if (kept.entry().seq() != expected) {
        return null;
      }
      out.add(kept.entry());
      expected++;
      if (out.size() == limit) {
        return out;
      }
    }
    return expected == last + 1 ? out : null;
  }
}
