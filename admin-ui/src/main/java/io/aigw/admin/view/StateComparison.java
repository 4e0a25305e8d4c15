package io.aigw.admin.view;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.gateway.GatewayState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares two whole states part by part (world, desired resources, filter configs, statuses), as a
 * replay check needs: every key present on one side only, and every key whose values differ.
 */
public final class StateComparison {

  private StateComparison() {}

  public static List<ReplayReport.Difference> between(GatewayState expected, GatewayState actual) {
    List<ReplayReport.Difference> out = new ArrayList<>();
    compare("world", expected.world().objects(), actual.world().objects(), out);
    compare("desired", expected.desired(), actual.desired(), out);
    compare("filterConfigs", expected.filterConfigs(), actual.filterConfigs(), out);
    compare("statuses", expected.statuses(), actual.statuses(), out);
    return out;
  }

  private static void compare(
      String part,
      Map<ObjectKey, ?> expected,
      Map<ObjectKey, ?> actual,
      List<ReplayReport.Difference> out) {
    if (expected == actual) {
      return;
    }
    TreeSet<ObjectKey> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (ObjectKey key : keys) {
      Object a = expected.get(key);
      Object b = actual.get(key);
      String what =
          a == null
              ? "only in the replay"
              : b == null ? "missing from the replay" : Objects.equals(a, b) ? null : "differs";
      if (what != null) {
        out.add(
            new ReplayReport.Difference(
                part, key.group(), key.kind(), key.namespace(), key.name(), what));
      }
    }
  }
}
