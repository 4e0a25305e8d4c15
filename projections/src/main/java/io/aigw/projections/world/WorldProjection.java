package io.aigw.projections.world;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.Projection;

/** Current objects by key: an UPSERT puts the object, a DELETE removes it. */
public final class WorldProjection implements Projection<WorldState> {

  @Override
  public WorldState initial() {
    return WorldState.EMPTY;
  }

  @Override
  public WorldState apply(WorldState state, LogEntry entry) {
    if (!(entry.event() instanceof WatchEvent event)) {
      return new WorldState(entry.seq(), state.objects());
    }
    var key = event.key();
    if (event.type() == EventType.DELETE) {
      return new WorldState(entry.seq(), state.objects().minus(key));
    }
    var object = new WorldObject(key, event, CanonicalJson.read(event.objectJson()), entry.seq());
    return new WorldState(entry.seq(), state.objects().plus(key, object));
  }
}
