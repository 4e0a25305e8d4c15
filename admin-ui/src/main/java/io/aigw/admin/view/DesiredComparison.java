package io.aigw.admin.view;

import io.aigw.core.codec.YamlText;
import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.ChangedObjects;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.KeyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * What differs between the desired resources of two states. Every desired resource belongs to the
 * route that produced it, so only the routes that may have changed are compared, resource by
 * resource; the fold keeps an unchanged resource as the same instance, so most pairs are told apart
 * by identity and only a resource with equal provenance but another instance has its object
 * compared. The differences are kept in no order: a page needs only the first few in key order, and
 * picks them without sorting the tens of thousands two far-apart states have. Objects are rendered
 * and diffed field by field only for the page a reader asks for.
 */
public final class DesiredComparison {

  /** One key that differs: {@code before} or {@code after} is null on the side that lacks it. */
  public record Difference(ObjectKey key, DesiredResource before, DesiredResource after) {

    public String change() {
      return before == null ? "added" : after == null ? "removed" : "changed";
    }
  }

  private static final Comparator<Difference> IN_KEY_ORDER =
      (a, b) -> KeyOrder.INSTANCE.compare(a.key(), b.key());

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
    this.differences = differences;
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
    Optional<ChangedObjects> related = after.changedFrom(before);
    Collection<ObjectKey> routes =
        related.isPresent() ? related.get().routes() : after.routesWithOtherResources(before);
    return new DesiredComparison(before, after, related, differences(before, after, routes));
  }

  private static List<Difference> differences(
      GatewayState before, GatewayState after, Collection<ObjectKey> routes) {
    List<Difference> out = new ArrayList<>();
    for (ObjectKey route : routes) {
      List<DesiredResource> was = before.desiredByRoute().getOrDefault(route, List.of());
      List<DesiredResource> is = after.desiredByRoute().getOrDefault(route, List.of());
      if (was == is) {
        continue;
      }
      for (DesiredResource a : was) {
        DesiredResource b = withKey(is, a.key());
        if (b == null || !same(a, b)) {
          out.add(new Difference(a.key(), a, b));
        }
      }
      for (DesiredResource b : is) {
        if (withKey(was, b.key()) == null) {
          out.add(new Difference(b.key(), null, b));
        }
      }
    }
    return out;
  }

  /** A route has a handful of resources: a scan beats any index. */
  private static DesiredResource withKey(List<DesiredResource> resources, ObjectKey key) {
    for (DesiredResource resource : resources) {
      if (resource.key().equals(key)) {
        return resource;
      }
    }
    return null;
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

  /** Every difference, in key order. */
  public List<Difference> differences() {
    List<Difference> sorted = new ArrayList<>(differences);
    sorted.sort(IN_KEY_ORDER);
    return sorted;
  }

  /** A page of differences in key order, and whether more differences follow its last. */
  public record Page(List<ResourceChange> changes, boolean more) {}

  /**
   * Up to {@code limit} differences after {@code afterKey} (all when empty), in key order, each
   * with its field diff, and its objects and YAML when {@code withObjects}.
   */
  public Page page(Optional<ObjectKey> afterKey, int limit, boolean withObjects) {
    List<Difference> selected = new ArrayList<>();
    boolean more = first(afterKey, limit, selected);
    return new Page(
        PageViews.inOrder(selected.size(), i -> view(selected.get(i), withObjects)), more);
  }

  /**
   * Puts into {@code out} the first {@code limit} differences after {@code afterKey} in key order:
   * one pass keeping the smallest seen so far, largest on top, so each of the others costs one
   * comparison. True when more differences than {@code limit} follow {@code afterKey}.
   */
  private boolean first(Optional<ObjectKey> afterKey, int limit, List<Difference> out) {
    PriorityQueue<Difference> smallest = new PriorityQueue<>(IN_KEY_ORDER.reversed());
    int following = 0;
    for (Difference difference : differences) {
      if (afterKey.isPresent()
          && KeyOrder.INSTANCE.compare(difference.key(), afterKey.get()) <= 0) {
        continue;
      }
      following++;
      if (smallest.size() < limit) {
        smallest.add(difference);
      } else if (limit > 0 && IN_KEY_ORDER.compare(difference, smallest.peek()) < 0) {
        smallest.poll();
        smallest.add(difference);
      }
    }
    out.addAll(smallest);
    out.sort(IN_KEY_ORDER);
    return following > limit;
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
    Iterator<Map.Entry<ObjectKey, ResourceStatus>> left = before.statuses().entrySet().iterator();
    Iterator<Map.Entry<ObjectKey, ResourceStatus>> right = after.statuses().entrySet().iterator();
    Map.Entry<ObjectKey, ResourceStatus> a = left.hasNext() ? left.next() : null;
    Map.Entry<ObjectKey, ResourceStatus> b = right.hasNext() ? right.next() : null;
    while (a != null || b != null) {
      int order =
          a == null ? 1 : b == null ? -1 : KeyOrder.INSTANCE.compare(a.getKey(), b.getKey());
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
