package io.aigw.deploy.run;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.gateway.GatewayState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many desired objects one entry added, changed or removed. Only the routes whose resources are
 * not the very instances they were are read ({@link GatewayState#routesWithOtherResources}): a
 * directory of thousands of objects loads in one scan of thousands of entries, and comparing every
 * desired object at each of them took minutes.
 */
public record DesiredDiff(int added, int changed, int removed) {

  public static DesiredDiff between(GatewayState before, GatewayState after) {
    if (before == after) {
      return new DesiredDiff(0, 0, 0);
    }
    int added = 0;
    int changed = 0;
    int removed = 0;
    for (ObjectKey route : after.routesWithOtherResources(before)) {
      Map<ObjectKey, DesiredResource> was = byKey(before.desiredByRoute().get(route));
      for (DesiredResource now : listOf(after.desiredByRoute().get(route))) {
        DesiredResource old = was.remove(now.key());
        if (old == null) {
          added++;
        } else if (old != now && !old.object().equals(now.object())) {
          changed++;
        }
      }
      removed += was.size();
    }
    return new DesiredDiff(added, changed, removed);
  }

  public int total() {
    return added + changed + removed;
  }

  private static Map<ObjectKey, DesiredResource> byKey(List<DesiredResource> resources) {
    Map<ObjectKey, DesiredResource> byKey = new HashMap<>();
    for (DesiredResource resource : listOf(resources)) {
      byKey.put(resource.key(), resource);
    }
    return byKey;
  }

  private static List<DesiredResource> listOf(List<DesiredResource> resources) {
    return resources == null ? List.of() : resources;
  }
}
