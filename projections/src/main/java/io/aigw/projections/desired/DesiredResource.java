package io.aigw.projections.desired;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One object aigw wants to exist: its key, the object (a tree with sorted keys, as it is applied)
 * and its provenance, the seqs of the log entries of every source object that shaped it.
 *
 * <p>Not a record because the object is rendered lazily: the fold builds a resource whenever one of
 * its sources changes, but the tree is only built when someone reads it (the applier, the admin UI,
 * {@code translate}), once. Rendering is a pure function of the sources, so laziness never changes
 * a result. Two resources are equal when key, provenance and object are equal.
 */
public final class DesiredResource {

  private final ObjectKey key;
  private final SortedSet<Long> provenance;
  private final Supplier<JsonNode> render;
  private volatile JsonNode object;

  public DesiredResource(ObjectKey key, Supplier<JsonNode> render, SortedSet<Long> provenance) {
    this.key = Objects.requireNonNull(key, "key");
    this.render = Objects.requireNonNull(render, "render");
    this.provenance = Collections.unmodifiableSortedSet(new TreeSet<>(provenance));
  }

  /** A resource whose object is already built. */
  public static DesiredResource of(ObjectKey key, JsonNode object, SortedSet<Long> provenance) {
    DesiredResource resource = new DesiredResource(key, () -> object, provenance);
    resource.object = object;
    return resource;
  }

  public ObjectKey key() {
    return key;
  }

  /** The object with sorted keys; built on first use. Never modify it. */
  public JsonNode object() {
    JsonNode current = object;
    if (current == null) {
      // a race renders twice and keeps one of two equal trees: harmless
      current = render.get();
      object = current;
    }
    return current;
  }

  public SortedSet<Long> provenance() {
    return provenance;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof DesiredResource that
            && key.equals(that.key)
            && provenance.equals(that.provenance)
            && object().equals(that.object());
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, provenance);
  }

  @Override
  public String toString() {
    return key + " " + provenance;
  }
}
