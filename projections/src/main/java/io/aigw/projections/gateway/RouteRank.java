package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.projections.filterconfig.Versioned;
import java.time.Instant;

/** Where a route stands among routes claiming the same requests: oldest first, then by key. */
record RouteRank(Instant created, ObjectKey key) implements Comparable<RouteRank> {

  static RouteRank of(ObjectKey key, Versioned<AIGatewayRoute> route) {
    return new RouteRank(Precedence.created(route.resource().metadata().creationTimestamp()), key);
  }

  @Override
  public int compareTo(RouteRank other) {
    int order = created.compareTo(other.created);
    return order != 0 ? order : key.compareTo(other.key);
  }
}
