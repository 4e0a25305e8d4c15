package io.aigw.projections.world;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.Projection;

/**
 * Current objects by key: an UPSERT puts the object, a DELETE removes it. An UPSERT whose object is
 * not JSON fails, so it never enters the world.
 */
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
    if (event.type() != EventType.DELETE) {
      // the tree is parsed when someone reads it (WorldObject); here only whether it is JSON
      CanonicalJson.check(event.objectJson());
    }
    if (state.objects() instanceof WorldObjects objects) {
      return new WorldState(entry.seq(), objects.changed(event.key(), event, entry.seq()));
    }
    return changed(state, entry.seq(), KeyOrder.shared(event.key()), event);
  }

  /**
   * The world after {@code event} of entry {@code seq}, for a fold that has checked the event's
   * JSON already (parsing it, or finding it equal to the current version's); {@code key} is the
   * event's key.
   */
  public static WorldState changed(WorldState state, long seq, ObjectKey key, WatchEvent event) {
    if (event.type() == EventType.DELETE) {
      return new WorldState(seq, state.objects().minus(key));
    }
    return new WorldState(seq, state.objects().plus(key, new WorldObject(key, event, seq)));
  }
}
