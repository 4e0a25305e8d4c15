package io.aigw.admin.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.admin.history.LogFilter;
import io.aigw.core.codec.YamlText;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.WorldObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Pages over the sorted maps of a state: the items after a cursor key that match a filter, up to a
 * limit, and the total that match. Counting a filtered total walks the map (tens of thousands of
 * keys: a few milliseconds); an unfiltered total is the map's size.
 */
public final class StatePages {

  private StatePages() {}

  /** What to put in a page. */
  /**
   * One section's page: the objects {@code filter} matches after the cursor {@code after}; {@code
   * accepted}, when given, keeps the statuses that are (or are not) accepted.
   */
  public record Request(
      LogFilter filter,
      Optional<ObjectKey> after,
      int limit,
      boolean objects,
      Optional<Boolean> accepted) {

    public Request(LogFilter filter, Optional<ObjectKey> after, int limit, boolean objects) {
      this(filter, after, limit, objects, Optional.empty());
    }
  }

  public static Section<WorldItem> world(
      NavigableMap<ObjectKey, WorldObject> objects, Request request) {
    return page(
        objects,
        request,
        (key, object) ->
            new WorldItem(
                key.group(),
                key.kind(),
                key.namespace(),
                key.name(),
                object.event().apiVersion(),
                object.seq(),
                object.event().generation(),
                request.objects() ? SecretRedaction.redact(key, object.transientObject()) : null));
  }

  public static Section<DesiredItem> desired(
      NavigableMap<ObjectKey, DesiredResource> desired, Request request) {
    return page(
        desired,
        request,
        (key, resource) -> {
          JsonNode object = request.objects() ? resource.transientObject() : null;
          return new DesiredItem(
              key.group(),
              key.kind(),
              key.namespace(),
              key.name(),
              List.copyOf(resource.provenance()),
              object,
              object == null ? null : YamlText.write(object));
        });
  }

  public static Section<FilterConfigItem> filterConfigs(
      NavigableMap<ObjectKey, FilterConfig> configs, Request request) {
    return page(
        configs,
        request,
        (key, config) ->
            new FilterConfigItem(
                key.namespace(),
                key.name(),
                request.objects() ? FilterConfigCodec.toTree(config) : null));
  }

  public static Section<StatusItem> statuses(
      NavigableMap<ObjectKey, ResourceStatus> statuses, Request request) {
    return page(
        statuses,
        request,
        status -> request.accepted().map(wanted -> status.isAccepted() == wanted).orElse(true),
        (key, status) -> StatusItem.of(status));
  }

  /** How many of the statuses {@code filter} keeps are not accepted. */
  public static int notAccepted(
      NavigableMap<ObjectKey, ResourceStatus> statuses, LogFilter filter) {
    return count(statuses, filter, status -> !status.isAccepted());
  }

  static <V, T> Section<T> page(
      NavigableMap<ObjectKey, V> map, Request request, BiFunction<ObjectKey, V, T> view) {
    return page(map, request, null, view);
  }

  /**
   * A page of {@code map}'s entries that the request's filter and {@code wanted} (null: any) keep.
   */
  static <V, T> Section<T> page(
      NavigableMap<ObjectKey, V> map,
      Request request,
      Predicate<V> wanted,
      BiFunction<ObjectKey, V, T> view) {
    NavigableMap<ObjectKey, V> tail =
        request.after().isPresent() ? map.tailMap(request.after().get(), false) : map;
    List<Map.Entry<ObjectKey, V>> selected = new ArrayList<>();
    ObjectKey last = null;
    boolean more = false;
    for (Map.Entry<ObjectKey, V> entry : tail.entrySet()) {
      if (!request.filter().matches(entry.getKey())
          || wanted != null && !wanted.test(entry.getValue())) {
        continue;
      }
      if (selected.size() == request.limit()) {
        more = true;
        break;
      }
      selected.add(entry);
      last = entry.getKey();
    }
    List<T> items =
        PageViews.inOrder(
            selected.size(), i -> view.apply(selected.get(i).getKey(), selected.get(i).getValue()));
    int total =
        request.filter().isAll() && wanted == null
            ? map.size()
            : count(map, request.filter(), wanted);
    return new Section<>(total, items, more && last != null ? KeyCursor.encode(last) : null);
  }

  private static <V> int count(
      NavigableMap<ObjectKey, V> map, LogFilter filter, Predicate<V> wanted) {
    int count = 0;
    for (Map.Entry<ObjectKey, V> entry : map.entrySet()) {
      if (filter.matches(entry.getKey()) && (wanted == null || wanted.test(entry.getValue()))) {
        count++;
      }
    }
    return count;
  }
}
