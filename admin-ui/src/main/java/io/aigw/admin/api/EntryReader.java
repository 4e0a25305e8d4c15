package io.aigw.admin.api;

import io.aigw.admin.history.LogIndex;
import io.aigw.admin.view.EntrySummary;
import io.aigw.admin.view.EntryViews;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the entries of given seqs: from the index's recent entries when it has them, else from the
 * log, one read per run of consecutive seqs. Blocking (the log may read from disk): call it on a
 * worker thread.
 */
final class EntryReader {

  private final EventLog log;
  private final LogIndex index;

  EntryReader(EventLog log, LogIndex index) {
    this.log = log;
    this.index = index;
  }

  /**
   * The last seq recorded at or before {@code time}, 0 when none was: a binary search over the
   * entries' times, which grow with the seq (a log is appended to in time order; a clock set back
   * makes the answer one of the entries around the jump).
   */
  long lastSeqAtOrBefore(Instant time, long latest) {
    long low = 1;
    long high = latest;
    long found = 0;
    while (low <= high) {
      long mid = low + (high - low) / 2;
      Optional<LogEntry> entry = read(mid);
      if (entry.isEmpty()) {
        high = mid - 1;
      } else if (entry.get().recordedAt().isAfter(time)) {
        high = mid - 1;
      } else {
        found = mid;
        low = mid + 1;
      }
    }
    return found;
  }

  /** The entries of {@code seqs}, in the order given; a seq the log does not have is skipped. */
  List<LogEntry> read(List<Long> seqs) {
    List<LogEntry> out = new ArrayList<>(seqs.size());
    int i = 0;
    while (i < seqs.size()) {
      long first = seqs.get(i);
      Optional<LogEntry> recent = index.recent(first);
      if (recent.isPresent()) {
        out.add(recent.get());
        i++;
        continue;
      }
      int run = 1;
      while (i + run < seqs.size() && seqs.get(i + run) == first + run && run < 4096) {
        run++;
      }
      boolean descending = run == 1 && i + 1 < seqs.size() && seqs.get(i + 1) == first - 1;
      if (descending) {
        run = 1;
        while (i + run < seqs.size() && seqs.get(i + run) == first - run && run < 4096) {
          run++;
        }
        List<LogEntry> block = new ArrayList<>(log.read(first - run + 1, run));
        java.util.Collections.reverse(block);
        out.addAll(block);
      } else {
        out.addAll(log.read(first, run));
      }
      i += run;
    }
    return out;
  }

  Optional<LogEntry> read(long seq) {
    Optional<LogEntry> recent = index.recent(seq);
    if (recent.isPresent()) {
      return recent;
    }
    List<LogEntry> entries = log.read(seq, 1);
    return entries.isEmpty() || entries.get(0).seq() != seq
        ? Optional.empty()
        : Optional.of(entries.get(0));
  }

  /** The timeline line of {@code entry}, telling a creation from an update through the index. */
  EntrySummary summary(LogEntry entry) {
    OptionalLong previous = index.previousVersion(entry.seq());
    return EntryViews.summary(
        entry, previous.isPresent() ? index.typeAt(previous.getAsLong()) : Optional.empty());
  }

  List<EntrySummary> summaries(List<LogEntry> entries) {
    return entries.stream().map(this::summary).toList();
  }
}
