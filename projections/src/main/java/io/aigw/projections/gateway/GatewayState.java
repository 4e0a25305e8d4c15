package io.aigw.projections.gateway;

import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.KeyOrder;
import io.aigw.projections.world.WorldState;
import java.util.ArrayList;
import java.util.List;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * What the controller wants after a log prefix: the world it saw, the objects to apply with their
 * provenance, each route's filter config, and the status of every AI Gateway object. Immutable and
 * persistent: the state after the next entry shares everything that entry did not touch.
 *
 * @param world every object as of {@link #seq()}
 * @param catalog the AI Gateway objects in effect and the dependency indexes (internal to the fold)
 * @param desired the objects to apply, by key, in key order
 * @param filterConfigs the filter config of each AIGatewayRoute in effect, by the route's key
 * @param statuses the wanted status of each AIGatewayRoute, AIServiceBackend and
 *     BackendSecurityPolicy that exists, by its key
 * @param desiredByRoute for each route, the objects it produced (internal to the fold)
 */
public record GatewayState(
    WorldState world,
    Catalog catalog,
    PSortedMap<ObjectKey, DesiredResource> desired,
    PSortedMap<ObjectKey, FilterConfig> filterConfigs,
    PSortedMap<ObjectKey, ResourceStatus> statuses,
    PMap<ObjectKey, List<DesiredResource>> desiredByRoute) {

  public static final GatewayState EMPTY =
      new GatewayState(
          WorldState.EMPTY,
          Catalog.EMPTY,
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          TreePMap.empty(KeyOrder.INSTANCE),
          HashTrieMap.empty());

  /** The seq of the last entry folded (0 before the first). */
  public long seq() {
    return world.seq();
  }

  /** The desired objects as multi-document YAML in key order, what {@code translate} prints. */
  public String desiredYaml() {
    List<com.fasterxml.jackson.databind.JsonNode> objects = new ArrayList<>(desired.size());
    for (DesiredResource resource : desired.values()) {
      objects.add(resource.object());
    }
    return YamlDocuments.write(objects);
  }

  /**
   * Equal outputs: the same desired objects (with provenance), filter configs and statuses. Unlike
   * {@link #equals(Object)} this ignores the world's seq and the internal indexes.
   */
  public boolean sameOutputs(GatewayState other) {
    return desired.equals(other.desired)
        && filterConfigs.equals(other.filterConfigs)
        && statuses.equals(other.statuses);
  }
}
