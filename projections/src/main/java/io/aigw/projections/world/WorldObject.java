package io.aigw.projections.world;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.lang.ref.SoftReference;
import java.util.Objects;

/**
 * The current version of one observed object and the seq of the entry that last changed it.
 *
 * <p>Not a record because the tree is parsed lazily: the world keeps every object, and the parsed
 * trees of tens of thousands of objects would take most of a small heap while the folds read few of
 * them after the entry that brought them. {@link #object()} parses {@link WatchEvent#objectJson()}
 * on first use and keeps the tree while memory allows; parsing is a pure function of the event, so
 * two objects are equal when key, event and seq are.
 */
public final class WorldObject {

  private final ObjectKey key;
  private final WatchEvent event;
  private final long seq;
  private volatile SoftReference<JsonNode> parsed;

  public WorldObject(ObjectKey key, WatchEvent event, long seq) {
    this.key = Objects.requireNonNull(key, "key");
    this.event = Objects.requireNonNull(event, "event");
    this.seq = seq;
  }

  public ObjectKey key() {
    return key;
  }

  public WatchEvent event() {
    return event;
  }

  public long seq() {
    return seq;
  }

  /** The parsed {@link WatchEvent#objectJson()}, shared: never modify it. */
  public JsonNode object() {
    SoftReference<JsonNode> cached = parsed;
    JsonNode tree = cached == null ? null : cached.get();
    if (tree == null) {
      // a race parses twice and keeps one of two equal trees: harmless
      tree = CanonicalJson.read(event.objectJson());
      parsed = new SoftReference<>(tree);
    }
    return tree;
  }

  /**
   * The tree as {@link #object()} gives it, but not kept when it has to be parsed: for readers that
   * look at an object once (an admin page), whose trees would otherwise outlive the request.
   */
  public JsonNode transientObject() {
    SoftReference<JsonNode> cached = parsed;
    JsonNode tree = cached == null ? null : cached.get();
    return tree != null ? tree : CanonicalJson.read(event.objectJson());
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof WorldObject that
            && seq == that.seq
            && key.equals(that.key)
            && event.equals(that.event);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, event, seq);
  }

  @Override
  public String toString() {
    return "WorldObject[key=" + key + ", seq=" + seq + ", event=" + event + "]";
  }
}
