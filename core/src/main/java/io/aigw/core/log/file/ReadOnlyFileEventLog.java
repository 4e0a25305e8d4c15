package io.aigw.core.log.file;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogClosedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The file log as it was when opened, for reading only: {@code aigw replay} and other tools. It
 * takes no lock and writes nothing: a torn tail is ignored rather than cut (the report says what
 * was ignored), so it may look at a log that a running process appends to. Appends fail; nothing is
 * ever committed, so listeners are never called.
 */
public final class ReadOnlyFileEventLog implements EventLog {

  private final RecoveryReport report;
  private final SegmentReader reader;
  private final long latestSeq;
  private volatile boolean closed;

  private ReadOnlyFileEventLog(SegmentRecovery.Recovered recovered) {
    ConcurrentNavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    for (Segment segment : recovered.segments()) {
      segments.put(segment.baseSeq(), segment);
    }
    this.report = recovered.report();
    this.reader = new SegmentReader(segments);
    this.latestSeq = recovered.lastSeq();
  }

  static ReadOnlyFileEventLog open(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("no log directory at " + directory);
    }
    return new ReadOnlyFileEventLog(SegmentRecovery.inspect(directory));
  }

  /** Where the valid data ends and what lies beyond it (left in place). */
  public RecoveryReport recoveryReport() {
    return report;
  }

  @Override
  public CompletableFuture<LogEntry> append(LogEvent event) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the log is open read-only"));
  }

  @Override
  public List<LogEntry> read(long fromSeq, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    if (closed) {
      throw new EventLogClosedException("the log is closed");
    }
    long from = Math.max(1, fromSeq);
    if (limit == 0 || from > latestSeq) {
      return List.of();
    }
    return reader.read(from, Math.min(latestSeq, from - 1 + limit));
  }

  @Override
  public long latestSeq() {
    return latestSeq;
  }

  @Override
  public void onCommit(CommitListener listener) {
    // nothing is ever committed through a read-only view
  }

  @Override
  public void close() {
    closed = true;
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the log failed", e);
    }
  }
}
