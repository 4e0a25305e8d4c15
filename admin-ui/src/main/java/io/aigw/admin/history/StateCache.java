package io.aigw.admin.history;

import io.aigw.core.log.EventLog;
import io.aigw.projections.Projection;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.FoldPosition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
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

  private final Vertx vertx;
  private final EventLog log;
  private final ProjectionHost<S> host;
  private final Projection<S> projection;
  private final Map<Long, Future<S>> states;

  /**
   * A cache of {@code capacity} states; {@code projection} must be the one {@code host} folds
   * (built with the same settings): every state computed here is settled with it, and the host
   * folds on from such states.
   */
  public StateCache(
      Vertx vertx, EventLog log, ProjectionHost<S> host, Projection<S> projection, int capacity) {
    this.vertx = vertx;
    this.log = log;
    this.host = host;
    this.projection = projection;
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
    FoldPosition<S> position = host.position();
    if (position.seq() == seq) {
      return Future.succeededFuture(position.state());
    }
    synchronized (states) {
      Future<S> known = states.get(seq);
      if (known != null) {
        return known;
      }
      Future<S> computed = compute(seq, position).compose(this::settled);
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
   * Whether the state after {@code seq} would be folded from further back than {@code earlier}: the
   * host keeps no snapshot between the two. A caller that wants both states then asks for the
   * earlier first, and the later is folded on from it, for about the cost of the later alone.
   */
  public boolean foldsPast(long earlier, long seq) {
    return earlier <= seq && host.position().baseFor(seq, projection.initial()).seq() < earlier;
  }

  /** Folds from the nearest cached state when it is nearer than the host's nearest snapshot. */
  private Future<S> compute(long seq, FoldPosition<S> position) {
    long snapshotSeq = position.baseFor(seq, projection.initial()).seq();
    long bestSeq = -1;
    Future<S> best = null;
    for (Map.Entry<Long, Future<S>> cached : states.entrySet()) {
      long at = cached.getKey();
      if (at <= seq && at > snapshotSeq && at > bestSeq && cached.getValue().succeeded()) {
        bestSeq = at;
        best = cached.getValue();
      }
    }
    if (best == null || seq > Math.max(log.latestSeq(), position.seq())) {
      return host.stateAt(seq);
    }
    // a cached state is settled: the result derives only what the range changed, and a diff
    // between the two looks at just that
    return host.foldOn(best.result(), bestSeq, seq);
  }

  /**
   * Derives, on a worker, what the fold left stale: every reader of a state reads its outputs, and
   * two states asked for at once (a diff) then derive at once rather than one after the other on
   * the reader's thread.
   */
  private Future<S> settled(S state) {
    return vertx.executeBlocking(
        () -> {
          projection.settle(state);
          return state;
        },
        false);
  }
}
