package io.aigw.admin.history;

import io.aigw.projections.runtime.ProjectionHost;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states at the seqs readers asked for last. Time travel and comparing two points ask for the
 * same few seqs again and again; states are persistent values that share most of their structure,
 * so keeping a few costs little. Concurrent requests for one seq share one computation; a failed
 * computation is not kept.
 */
public final class StateCache<S> {

  private final ProjectionHost<S> host;
  private final Map<Long, Future<S>> states;

  public StateCache(ProjectionHost<S> host, int capacity) {
    this.host = host;
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
    var position = host.position();
    if (position.seq() == seq) {
      return Future.succeededFuture(position.state());
    }
    synchronized (states) {
      Future<S> known = states.get(seq);
      if (known != null) {
        return known;
      }
      Future<S> computed = host.stateAt(seq);
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
}
