package io.aigw.deploy.run;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.desired.DesiredResource;
import java.util.Map;
import org.pcollections.PSortedMap;

/**
 * How many desired objects one entry added, changed or removed. Persistent maps share unchanged
 * values, so most comparisons are identity checks.
 */
public record DesiredDiff(int added, int changed, int removed) {

  public static DesiredDiff between(
      PSortedMap<ObjectKey, DesiredResource> before, PSortedMap<ObjectKey, DesiredResource> after) {
    if (before == after) {
      return new DesiredDiff(0, 0, 0);
    }
    int added = 0;
    int changed = 0;
    for (Map.Entry<ObjectKey, DesiredResource> entry : after.entrySet()) {
      DesiredResource was = before.get(entry.getKey());
      if (was == null) {
        added++;
      } else if (was != entry.getValue() && !was.object().equals(entry.getValue().object())) {
        changed++;
      }
    }
    int removed = 0;
    for (ObjectKey key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed++;
      }
    }
    return new DesiredDiff(added, changed, removed);
  }

  public int total() {
    return added + changed + removed;
  }
}
