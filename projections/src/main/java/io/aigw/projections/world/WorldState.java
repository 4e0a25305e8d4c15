package io.aigw.projections.world;

import io.aigw.core.event.ObjectKey;
import java.util.Optional;
import org.pcollections.PSortedMap;

/**
 * Every object that currently exists, by key, as of {@code seq} (the last entry folded). A
 * persistent sorted map: an update shares all unchanged entries with the previous state, so keeping
 * old states (snapshots, history) is cheap. The folds' states are {@link WorldObjects} (hash tries,
 * sorted where order is asked for); any other sorted map in {@link KeyOrder} gives the same
 * results.
 */
public record WorldState(long seq, PSortedMap<ObjectKey, WorldObject> objects) {

  public static final WorldState EMPTY = new WorldState(0, WorldObjects.empty());

  public Optional<WorldObject> get(ObjectKey key) {
    return Optional.ofNullable(objects.get(key));
  }

  /** Objects of one group and kind, in key order. */
  public Iterable<WorldObject> ofKind(String group, String kind) {
    ObjectKey from = new ObjectKey(group, kind, "", "");
    ObjectKey to = new ObjectKey(group, kind + '\0', "", "");
    return objects.subMap(from, to).values();
  }
}
