package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.HashTrie;
import io.aigw.projections.world.KeyOrder;
import java.util.List;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * What the gateway fold derives from the catalog: the objects to apply, the filter configs and the
 * statuses ({@link GatewayState} documents each), and for each route the objects it produced.
 */
record Outputs(
    PSortedMap<ObjectKey, DesiredResource> desired,
    PSortedMap<ObjectKey, FilterConfig> filterConfigs,
    PSortedMap<ObjectKey, ResourceStatus> statuses,
    PMap<ObjectKey, List<DesiredResource>> desiredByRoute) {

  static final Outputs EMPTY =
      new Outputs(
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          HashTrie.empty());
}
