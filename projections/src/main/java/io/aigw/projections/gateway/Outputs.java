package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.HashTrie;
import io.aigw.projections.world.KeyOrder;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * What the gateway fold derives from the catalog: the objects to apply, the filter configs and the
 * statuses ({@link GatewayState} documents each), and for each route the objects it produced; and
 * where they were derived from ({@link Lineage}, not part of equality).
 */
record Outputs(
    PSortedMap<ObjectKey, DesiredResource> desired,
    PSortedMap<ObjectKey, FilterConfig> filterConfigs,
    PSortedMap<ObjectKey, ResourceStatus> statuses,
    HashTrie<ObjectKey, List<DesiredResource>> desiredByRoute,
    Lineage lineage) {

  static final Outputs EMPTY =
      new Outputs(
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          HashTrie.empty(),
          null);

  /**
   * These outputs are those of {@code from} with the objects of {@code recomputed} recomputed:
   * every other key has {@code from}'s very instance. Held weakly, so lineage never keeps old
   * outputs.
   */
  record Lineage(WeakReference<Outputs> from, Stale recomputed) {}

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof Outputs that
            && desired.equals(that.desired)
            && filterConfigs.equals(that.filterConfigs)
            && statuses.equals(that.statuses)
            && desiredByRoute.equals(that.desiredByRoute);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, filterConfigs, statuses, desiredByRoute);
  }
}
