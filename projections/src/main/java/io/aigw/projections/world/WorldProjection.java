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
 *
 * <p>Checking the JSON is most of an entry's cost; a host can do it ahead on the thread that reads
 * the log ({@link #prepare}), and the fold then only confirms that this very event was checked.
 */
public final class WorldProjection implements Projection<WorldState> {

  /**
   * The events {@link #prepare} found to be JSON, each until the fold takes it; only the very
   * instance that was checked counts, so entries of another log or of a replay from an older seq
   * are checked inline.
   */
  private final PreparedEntries<Boolean> checked = new PreparedEntries<>();

  @Override
  public WorldState initial() {
    return WorldState.EMPTY;
  }

  @Override
  public WorldState apply(WorldState state, LogEntry entry) {
    if (!(entry.event() instanceof WatchEvent event)) {
      return new WorldState(entry.seq(), state.objects());
    }
    if (event.type() != EventType.DELETE && checked.take(entry.seq(), event) == null) {
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

  /**
   * Checks the entry's JSON ahead of the fold (on a host's reading thread) so that the fold need
   * not; results never depend on it. Thread-safe; what it throws is the fold's to report.
   */
  @Override
  public void prepare(LogEntry entry) {
    if (entry.event() instanceof WatchEvent event && event.type() != EventType.DELETE) {
      CanonicalJson.check(event.objectJson());
      checked.put(entry.seq(), event, Boolean.TRUE);
    }
  }
}
