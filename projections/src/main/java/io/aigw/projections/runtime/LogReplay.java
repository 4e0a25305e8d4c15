package io.aigw.projections.runtime;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.snapshot.FoldPosition;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.aigw.projections.snapshot.TolerantFold;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.List;
import java.util.function.Consumer;

/**
 * Folds a log up to a seq without hosting anything: what {@code aigw replay --to SEQ} needs. It
 * blocks the calling thread, which folds while another thread reads and decodes the next batches.
 * Entries the projection cannot fold are skipped, exactly as a host skips them.
 */
public final class LogReplay {

  private static final int READ_BATCH = 4096;
  private static final int BATCHES_AHEAD = 4;

  /** {@link #foldTo} wants the last state only: keeping snapshots would only hold memory. */
  private static final SnapshotPolicy NO_SNAPSHOTS = new SnapshotPolicy(Long.MAX_VALUE, 1, 1);

  private LogReplay() {}

  /** The state after {@code toSeq} (at most the log's latest seq). */
  public static <S> S foldTo(EventLog log, Projection<S> projection, long toSeq) {
    return positionAt(log, projection, toSeq, NO_SNAPSHOTS).state();
  }

  /**
   * The fold position after {@code toSeq} (at most the log's latest seq), with the snapshots {@code
   * policy} keeps on the way.
   */
  public static <S> FoldPosition<S> positionAt(
      EventLog log, Projection<S> projection, long toSeq, SnapshotPolicy policy) {
    return positionAt(log, projection, toSeq, policy, entry -> {});
  }

  /** {@link #foldTo}, handing each entry to {@code prepare} on the reading thread first. */
  public static <S> S foldTo(
      EventLog log, Projection<S> projection, long toSeq, Consumer<LogEntry> prepare) {
    return positionAt(log, projection, toSeq, NO_SNAPSHOTS, prepare).state();
  }

  /**
   * {@link #positionAt}, handing each entry to {@code prepare} on the reading thread first (see
   * {@link ProjectionHost#ProjectionHost(EventLog, Projection, HostOptions, Consumer)}).
   */
  public static <S> FoldPosition<S> positionAt(
      EventLog log,
      Projection<S> projection,
      long toSeq,
      SnapshotPolicy policy,
      Consumer<LogEntry> prepare) {
    TolerantFold<S> fold = new TolerantFold<>(projection);
    long to = Math.min(toSeq, log.latestSeq());
    FoldPosition<S> position = FoldPosition.initial(fold.initial(), policy);
    Iterable<List<LogEntry>> batches =
        LogReads.range(log, 1, to, READ_BATCH)
            .doOnNext(batch -> LogReads.prepare(batch, prepare))
            .subscribeOn(Schedulers.io())
            .blockingIterable(BATCHES_AHEAD);
    for (List<LogEntry> batch : batches) {
      for (LogEntry entry : batch) {
        position = position.advance(entry, fold.apply(position.state(), entry));
      }
    }
    return position;
  }
}
