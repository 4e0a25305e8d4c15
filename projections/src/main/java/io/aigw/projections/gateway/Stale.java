package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.world.HashTrie;
import java.util.Set;
import java.util.TreeSet;
import org.pcollections.PMap;

/**
 * The AI Gateway objects whose outputs may differ from those of a base state: the union of what
 * each entry folded since made stale. Persistent sets (hash tries, every key to {@code TRUE}, so
 * adding a key again changes nothing), so a state can keep its own and share the rest with the
 * state it was folded from.
 */
record Stale(
    PMap<ObjectKey, Boolean> routes,
    PMap<ObjectKey, Boolean> backends,
    PMap<ObjectKey, Boolean> policies,
    PMap<ObjectKey, Boolean> gatewayConfigs,
    PMap<ObjectKey, Boolean> quotaPolicies) {

  static final Stale NONE =
      new Stale(
          HashTrie.empty(), HashTrie.empty(), HashTrie.empty(), HashTrie.empty(), HashTrie.empty());

  boolean isEmpty() {
    return routes.isEmpty()
        && backends.isEmpty()
        && policies.isEmpty()
        && gatewayConfigs.isEmpty()
        && quotaPolicies.isEmpty();
  }

  /** This and what one entry made stale. */
  Stale plus(GatewayProjection.Dependents dirty) {
    if (dirty.isEmpty()) {
      return this;
    }
    return new Stale(
        plus(routes, dirty.routes),
        plus(backends, dirty.backends),
        plus(policies, dirty.policies),
        plus(gatewayConfigs, dirty.gatewayConfigs),
        plus(quotaPolicies, dirty.quotaPolicies));
  }

  /** What either made stale. */
  Stale union(Stale other) {
    return new Stale(
        plus(routes, other.routes.keySet()),
        plus(backends, other.backends.keySet()),
        plus(policies, other.policies.keySet()),
        plus(gatewayConfigs, other.gatewayConfigs.keySet()),
        plus(quotaPolicies, other.quotaPolicies.keySet()));
  }

  /** The routes in key order: recomputing in a fixed order keeps every result the same. */
  Set<ObjectKey> sortedRoutes() {
    return new TreeSet<>(routes.keySet());
  }

  Set<ObjectKey> sortedBackends() {
    return new TreeSet<>(backends.keySet());
  }

  Set<ObjectKey> sortedPolicies() {
    return new TreeSet<>(policies.keySet());
  }

  Set<ObjectKey> sortedQuotaPolicies() {
    return new TreeSet<>(quotaPolicies.keySet());
  }

  Set<ObjectKey> sortedGatewayConfigs() {
    return new TreeSet<>(gatewayConfigs.keySet());
  }

  private static PMap<ObjectKey, Boolean> plus(PMap<ObjectKey, Boolean> set, Set<ObjectKey> keys) {
    PMap<ObjectKey, Boolean> out = set;
    for (ObjectKey key : keys) {
      out = out.plus(key, Boolean.TRUE);
    }
    return out;
  }
}
