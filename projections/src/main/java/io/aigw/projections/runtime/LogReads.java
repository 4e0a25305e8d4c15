package io.aigw.projections.runtime;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.reactivex.rxjava3.core.Flowable;
import java.util.List;
import java.util.function.Consumer;

/** Reads a seq range of the log as a stream of batches, checking that it has no gaps. */
final class LogReads {

  private LogReads() {}

  /**
   * The entries {@code fromSeq..toSeq} in batches of at most {@code batch}; each batch is read when
   * the subscriber asks for it, on whatever thread requests (subscribe on a blocking scheduler).
   * Fails when the log is missing an entry of the range.
   */
  static Flowable<List<LogEntry>> range(EventLog log, long fromSeq, long toSeq, int batch) {
    return Flowable.generate(
        () -> fromSeq,
        (next, emitter) -> {
          if (next > toSeq) {
            emitter.onComplete();
            return next;
          }
          int limit = (int) Math.min(batch, toSeq - next + 1);
          List<LogEntry> entries = read(log, next, limit);
          emitter.onNext(entries);
          return next + entries.size();
        });
  }

  /** Hands each entry to {@code prepare}, ignoring what it throws. */
  static void prepare(List<LogEntry> batch, Consumer<LogEntry> prepare) {
    for (LogEntry entry : batch) {
      try {
        prepare.accept(entry);
      } catch (RuntimeException ignored) {
        // preparing is only a head start: the fold does the same work itself and reports failures
      }
    }
  }

  /**
   * Exactly the entries {@code fromSeq..fromSeq+limit-1}, or an exception naming what is missing.
   */
  static List<LogEntry> read(EventLog log, long fromSeq, int limit) {
    List<LogEntry> read = log.read(fromSeq, limit);
    List<LogEntry> entries = read.size() > limit ? read.subList(0, limit) : read;
    if (entries.isEmpty()) {
      throw new IllegalStateException("the log has no entry at seq " + fromSeq);
    }
    long expected = fromSeq;
    for (LogEntry entry : entries) {
      if (entry.seq() != expected) {
        throw new IllegalStateException(
            "the log returned seq " + entry.seq() + " where " + expected + " was expected");
      }
      expected++;
    }
    return entries;
  }
}
