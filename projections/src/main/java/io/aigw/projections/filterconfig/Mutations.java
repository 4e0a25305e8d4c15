package io.aigw.projections.filterconfig;

import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.HeaderMutation;
import io.aigw.core.model.HTTPBodyField;
import io.aigw.core.model.HTTPBodyMutation;
import io.aigw.core.model.HTTPHeader;
import io.aigw.core.model.HTTPHeaderMutation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges a route backendRef's header/body mutation over its AIServiceBackend's: on a conflict (the
 * same header or field set by one and set or removed by the other) the route wins. Route entries
 * come first, then the backend's that survive; header names are lower-cased.
 */
final class Mutations {

  private Mutations() {}

  static HeaderMutation headers(HTTPHeaderMutation backend, HTTPHeaderMutation route) {
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new LinkedHashSet<>();
    Set<String> routeNames = new LinkedHashSet<>();
    if (route != null) {
      for (HTTPHeader header : route.set()) {
        String name = lower(header.name());
        set.putIfAbsent(name, header.value());
        routeNames.add(name);
      }
      route.remove().forEach(name -> remove.add(lower(name)));
      routeNames.addAll(remove);
    }
    if (backend != null) {
      for (HTTPHeader header : backend.set()) {
        String name = lower(header.name());
        if (!routeNames.contains(name)) {
          set.putIfAbsent(name, header.value());
        }
      }
      for (String name : backend.remove()) {
        if (!set.containsKey(lower(name))) {
          remove.add(lower(name));
        }
      }
    }
    if (set.isEmpty() && remove.isEmpty()) {
      return null;
    }
    List<HeaderMutation.Header> headers = new ArrayList<>();
    set.forEach((name, value) -> headers.add(new HeaderMutation.Header(name, value)));
    return new HeaderMutation(headers, List.copyOf(remove));
  }

  static BodyMutation body(HTTPBodyMutation backend, HTTPBodyMutation route) {
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new LinkedHashSet<>();
    Set<String> routePaths = new LinkedHashSet<>();
    if (route != null) {
      for (HTTPBodyField field : route.set()) {
        set.putIfAbsent(field.path(), field.value());
        routePaths.add(field.path());
      }
      remove.addAll(route.remove());
      routePaths.addAll(route.remove());
    }
    if (backend != null) {
      for (HTTPBodyField field : backend.set()) {
        if (!routePaths.contains(field.path())) {
          set.putIfAbsent(field.path(), field.value());
        }
      }
      for (String path : backend.remove()) {
        if (!set.containsKey(path)) {
          remove.add(path);
        }
      }
    }
    if (set.isEmpty() && remove.isEmpty()) {
      return null;
    }
    List<BodyMutation.Field> fields = new ArrayList<>();
    set.forEach((path, value) -> fields.add(new BodyMutation.Field(path, value)));
    return new BodyMutation(fields, List.copyOf(remove));
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
