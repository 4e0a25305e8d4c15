package io.aigw.core.log;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only source of truth. Appends are ordered and gap-free: the future of an append
 * completes only once the entry is durable (for the file log: after the fsync that covers it), and
 * listeners see committed entries exactly once, in seq order.
 *
 * <p>Thread-safe. {@link #read} may block on disk: call it off the event loop.
 */
public interface EventLog extends AutoCloseable {

  /** Appends one event; completes with the committed entry. */
  CompletableFuture<LogEntry> append(LogEvent event);

  /** Up to {@code limit} committed entries with {@code seq >= fromSeq}, in seq order. */
  List<LogEntry> read(long fromSeq, int limit);

  /** The seq of the last committed entry, 0 when the log is empty. */
  long latestSeq();

  /**
   * Registers a listener called with every entry committed after this call, in seq order, on the
   * log's own thread. Listeners must not block.
   */
  void onCommit(CommitListener listener);

  /**
   * What opening the log cut off a torn or damaged tail, when it cut anything: the operators see it
   * on the admin port (readiness body, a metric, the dashboard) until the next start, not only in
   * one line at start.
   */
  default Optional<String> repairedAtOpen() {
    return Optional.empty();
  }

  @Override
  void close();

  /** Receives committed entries in seq order. */
  @FunctionalInterface
  interface CommitListener {
    void committed(LogEntry entry);
  }
}
