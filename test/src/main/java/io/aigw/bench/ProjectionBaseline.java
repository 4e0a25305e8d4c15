package io.aigw.bench;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.Projection;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * A yardstick for the replay benchmark, not a projection aigw uses: the world fold without the
 * parsed JSON tree per object (the event and its JSON text only). It shows what hosting, snapshots
 * and {@code stateAt} cost when the state is lean, apart from the cost of the real folds.
 */
final class ProjectionBaseline implements Projection<ProjectionBaseline.Objects> {

  /** The latest event of every object, by key. */
  record Objects(long seq, PSortedMap<ObjectKey, WatchEvent> byKey) {}

  @Override
  public Objects initial() {
    return new Objects(0, TreePMap.empty());
  }

  @Override
  public Objects apply(Objects state, LogEntry entry) {
    if (!(entry.event() instanceof WatchEvent event)) {
      return new Objects(entry.seq(), state.byKey());
    }
    if (event.type() == EventType.DELETE) {
      return new Objects(entry.seq(), state.byKey().minus(event.key()));
    }
    return new Objects(entry.seq(), state.byKey().plus(event.key(), event));
  }
}
