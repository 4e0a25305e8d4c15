package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The objects whose outputs may differ between two related states ({@link
 * GatewayState#changedFrom}): the routes whose desired resources and filter configs may differ, and
 * every object whose status may differ. Both sets are in key order.
 */
public record ChangedObjects(SortedSet<ObjectKey> routes, SortedSet<ObjectKey> statuses) {

  static ChangedObjects of(Stale stale) {
    SortedSet<ObjectKey> routes = new TreeSet<>(stale.routes().keySet());
    SortedSet<ObjectKey> statuses = new TreeSet<>(routes);
    statuses.addAll(stale.backends().keySet());
    statuses.addAll(stale.policies().keySet());
    statuses.addAll(stale.gatewayConfigs().keySet());
    statuses.addAll(stale.quotaPolicies().keySet());
    return new ChangedObjects(
        Collections.unmodifiableSortedSet(routes), Collections.unmodifiableSortedSet(statuses));
  }
}
