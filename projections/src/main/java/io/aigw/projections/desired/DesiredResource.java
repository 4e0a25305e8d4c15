package io.aigw.projections.desired;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.SeqSet;
import java.lang.ref.SoftReference;
import java.util.Objects;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * One object aigw wants to exist: its key, the object (a tree with sorted keys, as it is applied)
 * and its provenance, the seqs of the log entries of every source object that shaped it.
 *
 * <p>Not a record because the object is rendered lazily: the fold builds a resource whenever one of
 * its sources changes, but the tree is only built when someone reads it (the applier, the admin UI,
 * {@code translate}). Rendering is a pure function of the sources, so laziness never changes a
 * result. Two resources are equal when key, provenance and object are equal.
 */
public final class DesiredResource {

  private final ObjectKey key;
  private final SortedSet<Long> provenance;
  private final Supplier<JsonNode> render;
  private final Object inputs;
  // null until first rendered: most resources never are, and there are tens of thousands per state
  private volatile SoftReference<JsonNode> object;

  public DesiredResource(ObjectKey key, Supplier<JsonNode> render, SortedSet<Long> provenance) {
    this(key, render, provenance, null);
  }

  /**
   * A resource whose object {@code render} builds from {@code inputs} alone (null: unknown), so
   * that a resource built again from equal inputs is known to be the same without rendering either.
   */
  public DesiredResource(
      ObjectKey key, Supplier<JsonNode> render, SortedSet<Long> provenance, Object inputs) {
    this.key = Objects.requireNonNull(key, "key");
    this.render = Objects.requireNonNull(render, "render");
    this.provenance = SeqSet.of(provenance);
    this.inputs = inputs;
  }

  /**
   * Whether {@code other} is known to equal this resource without rendering: the same key and
   * provenance, built from equal inputs. False says nothing.
   */
  public boolean sameAs(DesiredResource other) {
    return this == other
        || inputs != null
            && key.equals(other.key)
            && provenance.equals(other.provenance)
            && inputs.equals(other.inputs);
  }

  /** A resource whose object is already built. */
  public static DesiredResource of(ObjectKey key, JsonNode object, SortedSet<Long> provenance) {
    return new DesiredResource(key, () -> object, provenance);
  }

  public ObjectKey key() {
    return key;
  }

  /**
   * The object with sorted keys, built on first use and kept while memory allows (trees are large:
   * ten thousand routes' worth would not fit a small heap). Never modify it.
   */
  public JsonNode object() {
    SoftReference<JsonNode> held = object;
    JsonNode current = held == null ? null : held.get();
    if (current == null) {
      // a race renders twice and keeps one of two equal trees: harmless
      current = render.get();
      object = new SoftReference<>(current);
    }
    return current;
  }

  /**
   * The object as {@link #object()} gives it, but not kept when it has to be rendered: for readers
   * that look at a resource once (an admin page, a diff). A kept tree outlives the request and
   * every young collection copies it until it is old; with many large trees live that copying is
   * most of a pause.
   */
  public JsonNode transientObject() {
    SoftReference<JsonNode> held = object;
    JsonNode current = held == null ? null : held.get();
    return current != null ? current : render.get();
  }

  public SortedSet<Long> provenance() {
    return provenance;
  }

  /**
   * Equal key, provenance and object. Compares objects it has to render without keeping them: a
   * comparison of whole states (a replay check) would otherwise leave every resource of the live
   * state holding its tree.
   */
  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof DesiredResource that
            && key.equals(that.key)
            && provenance.equals(that.provenance)
            && (sameAs(that) || transientObject().equals(that.transientObject()));
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
