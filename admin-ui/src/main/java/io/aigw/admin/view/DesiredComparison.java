package io.aigw.admin.view;

import io.aigw.core.codec.YamlText;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.ChangedObjects;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What differs between the desired resources of two states, in key order. One merge pass over the
 * two sorted maps finds the keys; the fold keeps an unchanged resource as the same instance, so
 * most pairs are told apart by identity and only a resource with equal provenance but another
 * instance has its object compared. Objects are rendered and diffed field by field only for the
 * page a reader asks for.
 */
public final class DesiredComparison {

  /** One key that differs: {@code before} or {@code after} is null on the side that lacks it. */
  public record Difference(ObjectKey key, DesiredResource before, DesiredResource after) {

    public String change() {
      return before == null ? "added" : after == null ? "removed" : "changed";
    }
  }

  /** From what share of the routes (one in this many) a diff merges every resource. */
  private static final int FULL_MERGE_SHARE = 4;

  private final GatewayState before;
  private final GatewayState after;
  private final Optional<ChangedObjects> related;
  private final List<Difference> differences;
  private final DiffCounts counts;

  private DesiredComparison(
      GatewayState before,
      GatewayState after,
      Optional<ChangedObjects> related,
      List<Difference> differences) {
    this.before = before;
    this.after = after;
    this.related = related;
    this.differences = List.copyOf(differences);
    int added = 0;
    int removed = 0;
    for (Difference difference : differences) {
      if (difference.before() == null) {
        added++;
      } else if (difference.after() == null) {
        removed++;
      }
    }
    this.counts = new DiffCounts(added, removed, differences.size() - added - removed);
  }

  /**
   * Only the resources of the routes that may have changed are compared; the rest are the same
   * instances on both sides. When one state was folded from the other, or both from the same base,
   * those routes are known from how the states were derived; otherwise they are the routes whose
   * resources are not the same instances in both, found by comparing the two states' per-route
   * indexes where they do not share structure.
   */
  public static DesiredComparison between(GatewayState before, GatewayState after) {
    // beyond a share of the routes, one pass over both sorted maps costs less than gathering
    // their resources and putting them in order
    int atMost =
        Math.max(before.desiredByRoute().size(), after.desiredByRoute().size()) / FULL_MERGE_SHARE;
    Optional<ChangedObjects> related = after.changedFrom(before);
    Optional<? extends Collection<ObjectKey>> routes =
        related.isPresent()
            ? related.map(ChangedObjects::routes).filter(changed -> changed.size() <= atMost)
            : after.routesWithOtherResources(before, atMost);
    return new DesiredComparison(
        before,
        after,
        related,
        routes
            .map(changed -> differences(ofRoutes(before, changed), ofRoutes(after, changed)))
            .orElseGet(() -> differences(before.desired(), after.desired())));
  }

  /** The desired resources of {@code routes}, in key order. */
  private static NavigableMap<ObjectKey, DesiredResource> ofRoutes(
      GatewayState state, Collection<ObjectKey> routes) {
    NavigableMap<ObjectKey, DesiredResource> out = new TreeMap<>(state.desired().comparator());
    for (ObjectKey route : routes) {
      for (DesiredResource resource : state.desiredByRoute().getOrDefault(route, List.of())) {
        out.put(resource.key(), resource);
      }
    }
    return out;
  }

  private static List<Difference> differences(
      NavigableMap<ObjectKey, DesiredResource> before,
      NavigableMap<ObjectKey, DesiredResource> after) {
    List<Difference> out = new ArrayList<>();
    if (before == after) {
      return out;
    }
    var comparator = after.comparator();
    Iterator<Map.Entry<ObjectKey, DesiredResource>> left = before.entrySet().iterator();
    Iterator<Map.Entry<ObjectKey, DesiredResource>> right = after.entrySet().iterator();
    Map.Entry<ObjectKey, DesiredResource> a = left.hasNext() ? left.next() : null;
    Map.Entry<ObjectKey, DesiredResource> b = right.hasNext() ? right.next() : null;
    while (a != null || b != null) {
      int order = a == null ? 1 : b == null ? -1 : compare(comparator, a.getKey(), b.getKey());
      if (order < 0) {
        out.add(new Difference(a.getKey(), a.getValue(), null));
        a = left.hasNext() ? left.next() : null;
      } else if (order > 0) {
        out.add(new Difference(b.getKey(), null, b.getValue()));
        b = right.hasNext() ? right.next() : null;
      } else {
        if (!same(a.getValue(), b.getValue())) {
          out.add(new Difference(a.getKey(), a.getValue(), b.getValue()));
        }
        a = left.hasNext() ? left.next() : null;
        b = right.hasNext() ? right.next() : null;
      }
    }
    return out;
  }

  private static int compare(
      java.util.Comparator<? super ObjectKey> comparator, ObjectKey a, ObjectKey b) {
    return comparator == null ? a.compareTo(b) : comparator.compare(a, b);
  }

  /**
   * Rendering is the expensive part of a diff between states folded apart (no shared instances):
   * resources built from equal inputs are the same without rendering either.
   */
  private static boolean same(DesiredResource a, DesiredResource b) {
    return a.sameAs(b)
        || a.provenance().equals(b.provenance())
            && Objects.equals(a.transientObject(), b.transientObject());
  }

  public DiffCounts counts() {
    return counts;
  }

  public List<Difference> differences() {
    return differences;
  }

  /**
   * Up to {@code limit} differences after {@code afterKey} (all when empty), each with its field
   * diff, and its objects and YAML when {@code withObjects}.
   */
  public List<ResourceChange> page(Optional<ObjectKey> afterKey, int limit, boolean withObjects) {
    List<Difference> selected = new ArrayList<>();
    for (Difference difference : differences) {
      if (selected.size() >= limit) {
        break;
      }
      if (afterKey.isPresent() && difference.key().compareTo(afterKey.get()) <= 0) {
        continue;
      }
      selected.add(difference);
    }
    return PageViews.inOrder(selected.size(), i -> view(selected.get(i), withObjects));
  }

  /** True when there are differences after {@code key}. */
  public boolean hasAfter(ObjectKey key) {
    return !differences.isEmpty()
        && differences.get(differences.size() - 1).key().compareTo(key) > 0;
  }

  static ResourceChange view(Difference difference, boolean withObjects) {
    ObjectKey key = difference.key();
    DesiredResource before = difference.before();
    DesiredResource after = difference.after();
    var beforeObject = before == null ? null : before.transientObject();
    var afterObject = after == null ? null : after.transientObject();
    List<FieldChange> fields =
        before != null && after != null ? JsonDiff.between(beforeObject, afterObject) : null;
    return new ResourceChange(
        key.group(),
        key.kind(),
        key.namespace(),
        key.name(),
        difference.change(),
        before == null ? null : List.copyOf(before.provenance()),
        after == null ? null : List.copyOf(after.provenance()),
        fields,
        withObjects ? beforeObject : null,
        withObjects ? afterObject : null,
        withObjects && beforeObject != null ? YamlText.write(beforeObject) : null,
        withObjects && afterObject != null ? YamlText.write(afterObject) : null);
  }

  /**
   * The statuses that differ between the two states, in key order: of the objects that may have
   * changed when the states are related (as {@link #between} found), else of every object.
   */
  public List<StatusChange> statuses() {
    List<StatusChange> out = new ArrayList<>();
    if (before.statuses() == after.statuses()) {
      return out;
    }
    if (related.isPresent()) {
      for (ObjectKey key : related.get().statuses()) {
        addIfChanged(out, key, before.statuses().get(key), after.statuses().get(key));
      }
      return out;
    }
    // one merge pass over the two sorted maps
    var comparator = after.statuses().comparator();
    Iterator<Map.Entry<ObjectKey, ResourceStatus>> left = before.statuses().entrySet().iterator();
    Iterator<Map.Entry<ObjectKey, ResourceStatus>> right = after.statuses().entrySet().iterator();
    Map.Entry<ObjectKey, ResourceStatus> a = left.hasNext() ? left.next() : null;
    Map.Entry<ObjectKey, ResourceStatus> b = right.hasNext() ? right.next() : null;
    while (a != null || b != null) {
      int order = a == null ? 1 : b == null ? -1 : compare(comparator, a.getKey(), b.getKey());
      if (order < 0) {
        addIfChanged(out, a.getKey(), a.getValue(), null);
        a = left.hasNext() ? left.next() : null;
      } else if (order > 0) {
        addIfChanged(out, b.getKey(), null, b.getValue());
        b = right.hasNext() ? right.next() : null;
      } else {
        addIfChanged(out, a.getKey(), a.getValue(), b.getValue());
        a = left.hasNext() ? left.next() : null;
        b = right.hasNext() ? right.next() : null;
      }
    }
    return out;
  }

  private static void addIfChanged(
      List<StatusChange> out, ObjectKey key, ResourceStatus a, ResourceStatus b) {
    if (a != b && !Objects.equals(a, b)) {
      out.add(
          new StatusChange(
              key.group(),
              key.kind(),
              key.namespace(),
              key.name(),
              a == null ? null : StatusItem.of(a),
              b == null ? null : StatusItem.of(b)));
    }
  }
}
