package io.aigw.core.log.memory;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.log.EventLog;
import io.aigw.core.log.EventLogClosedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventLog} held in memory, for tests and tools. An append commits at once, on the
 * caller's thread, and its listeners run there too, under the log's lock so they still see seq
 * order when many threads append.
 */
public final class InMemoryEventLog implements EventLog {

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryEventLog.class);

  private final Clock clock;
  private final Object lock = new Object();
  private final List<LogEntry> entries = new ArrayList<>();
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private volatile long latestSeq;
  private boolean closed;

  public InMemoryEventLog() {
    this(Clock.systemUTC());
  }

  /** A log that stamps entries with {@code clock}: pass a fixed clock for reproducible tests. */
  public InMemoryEventLog(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CompletableFuture<LogEntry> append(LogEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new EventLogClosedException("the log is closed"));
      }
      LogEntry entry = new LogEntry(entries.size() + 1L, clock.instant(), event);
      entries.add(entry);
      latestSeq = entry.seq();
      for (CommitListener listener : listeners) {
        notify(listener, entry);
      }
      return CompletableFuture.completedFuture(entry);
    }
  }

  @Override
  public List<LogEntry> read(long fromSeq, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    synchronized (lock) {
      int from = (int) Math.max(0, Math.min(fromSeq - 1, entries.size()));
      int to = (int) Math.min(entries.size(), (long) from + limit);
      return List.copyOf(entries.subList(from, to));
    }
  }

  @Override
  public long latestSeq() {
    return latestSeq;
  }

  @Override
  public void onCommit(CommitListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private static void notify(CommitListener listener, LogEntry entry) {
    try {
      listener.committed(entry);
    } catch (RuntimeException e) {
      // A failing listener must not undo a commit nor starve the listeners after it.
      LOG.atError().addKeyValue("seq", entry.seq()).setCause(e).log("commit listener failed");
    }
  }
}
