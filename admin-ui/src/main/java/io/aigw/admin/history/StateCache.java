package io.aigw.admin.history;

import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.FoldPosition;
import io.aigw.projections.snapshot.TolerantFold;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The states at the seqs readers asked for last. Time travel and comparing two points ask for the
 * same few seqs again and again, or for one a few entries away (the next seq, the other side of a
 * diff): a state is computed from the nearest known state below it, whether that is one of the
 * host's snapshots or one kept here, so stepping through time folds a handful of entries instead of
 * a snapshot interval. States are persistent values sharing most of their structure, so keeping a
 * few costs little. Concurrent requests for one seq share one computation; a failed one is not
 * kept.
 */
public final class StateCache<S> {

  private static final int READ_BATCH = 4096;

  /** How far {@link #stateAfter} folds on from a given state rather than from a snapshot. */
  static final long FOLD_ON_LIMIT = 4096;

  private final Vertx vertx;
  private final EventLog log;
  private final ProjectionHost<S> host;
  private final Projection<S> projection;
  private final TolerantFold<S> fold;
  private final Map<Long, Future<S>> states;

  /**
   * A cache of {@code capacity} states; {@code projection} must be the one {@code host} folds
   * (built with the same settings), since cached states are folded further with it.
   */
  public StateCache(
      Vertx vertx, EventLog log, ProjectionHost<S> host, Projection<S> projection, int capacity) {
    this.vertx = vertx;
    this.log = log;
    this.host = host;
    this.projection = projection;
    this.fold = new TolerantFold<>(projection);
    this.states =
        new LinkedHashMap<>(capacity * 2, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Future<S>> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The state after {@code seq}. Fails with {@link IllegalArgumentException} when the log has no
   * such seq.
   */
  public Future<S> stateAt(long seq) {
    return stateAt(seq, -1);
  }

  /**
   * The state after {@code seq}, folded on from the one at {@code base} when that is cached and at
   * most {@link #FOLD_ON_LIMIT} entries back, even if a snapshot is nearer: a diff between the two
   * then needs to look only at what the range changed. Otherwise as {@link #stateAt(long)}.
   */
  public Future<S> stateAfter(long base, long seq) {
    return stateAt(seq, base <= seq && seq - base <= FOLD_ON_LIMIT ? base : -1);
  }

  private Future<S> stateAt(long seq, long preferred) {
    FoldPosition<S> position = host.position();
    if (position.seq() == seq) {
      return Future.succeededFuture(position.state());
    }
    synchronized (states) {
      Future<S> known = states.get(seq);
      if (known != null) {
        return known;
      }
      Future<S> computed = compute(seq, position, preferred);
      states.put(seq, computed);
      computed.onFailure(
          error -> {
            synchronized (states) {
              states.remove(seq, computed);
            }
          });
      return computed;
    }
  }

  /**
   * Folds from the cached state at {@code preferred} when there is one, else from the nearest
   * cached state when it is nearer than the host's nearest snapshot.
   */
  private Future<S> compute(long seq, FoldPosition<S> position, long preferred) {
    long snapshotSeq = position.baseFor(seq, fold.initial()).seq();
    long bestSeq = -1;
    Future<S> best = null;
    for (Map.Entry<Long, Future<S>> cached : states.entrySet()) {
      long at = cached.getKey();
      boolean nearer = at <= seq && at > snapshotSeq && at > bestSeq;
      if ((nearer || at == preferred) && cached.getValue().succeeded()) {
        bestSeq = at;
        best = cached.getValue();
        if (at == preferred) {
          break;
        }
      }
    }
    if (best == null || seq > Math.max(log.latestSeq(), position.seq())) {
      return host.stateAt(seq);
    }
    S base = best.result();
    long from = bestSeq + 1;
    return vertx.executeBlocking(
        () -> {
          // a base whose derived parts are known makes the result derive only what the range
          // changed, and lets a diff between the two look at just that
          projection.settle(base);
          return foldRange(base, from, seq);
        },
        false);
  }

  private S foldRange(S base, long fromSeq, long toSeq) {
    S state = base;
    long next = fromSeq;
    while (next <= toSeq) {
      int limit = (int) Math.min(READ_BATCH, toSeq - next + 1);
      List<LogEntry> entries = log.read(next, limit);
      for (LogEntry entry : entries) {
        if (entry.seq() != next) {
          throw new IllegalStateException(
              "the log returned seq " + entry.seq() + " where " + next + " was expected");
        }
        state = fold.apply(state, entry);
        next++;
      }
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("no seq " + next + " in the log");
      }
    }
    return state;
  }
}
