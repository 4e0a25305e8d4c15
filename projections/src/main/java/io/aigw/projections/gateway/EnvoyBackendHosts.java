package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.projections.filterconfig.References.BackendHost;
import io.aigw.projections.world.HashTrie;
import java.util.Set;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * The Envoy Gateway Backends the AIServiceBackends name, and the host of each: what a Bedrock
 * request through it is signed for. A host keeps the seq of the Backend version that first gave it,
 * so a later version with the same host (a status update, a relist) changes nothing the routes
 * derive, whenever they are recomputed. Empty index entries are removed.
 *
 * @param backendsByEndpoint Envoy Gateway Backend key → the AIServiceBackends whose backendRef
 *     names it (whether it exists or not)
 * @param hosts Envoy Gateway Backend key → the hostname of its first FQDN endpoint, for those that
 *     have one
 */
record EnvoyBackendHosts(
    PMap<ObjectKey, PSet<ObjectKey>> backendsByEndpoint, PMap<ObjectKey, BackendHost> hosts) {

  static final String GROUP = "gateway.envoyproxy.io";
  static final String KIND = "Backend";

  static final EnvoyBackendHosts EMPTY = new EnvoyBackendHosts(HashTrie.empty(), HashTrie.empty());

  static boolean isEnvoyBackend(String group, String kind) {
    return GROUP.equals(group) && KIND.equals(kind);
  }

  /**
   * The AIServiceBackend {@code backend} names {@code after} instead of {@code before} (null:
   * none).
   */
  EnvoyBackendHosts withBackend(ObjectKey backend, ObjectKey before, ObjectKey after) {
    PMap<ObjectKey, PSet<ObjectKey>> index =
        Catalog.reindexed(
            backendsByEndpoint,
            before == null ? Set.of() : Set.of(before),
            after == null ? Set.of() : Set.of(after),
            backend);
    return index == backendsByEndpoint ? this : new EnvoyBackendHosts(index, hosts);
  }

  /**
   * The Backend {@code endpoint} has {@code hostname} ("" or null: no FQDN endpoint, or deleted) as
   * of its version at {@code seq}.
   */
  EnvoyBackendHosts withHost(ObjectKey endpoint, String hostname, long seq) {
    boolean none = hostname == null || hostname.isEmpty();
    BackendHost current = hosts.get(endpoint);
    if (none ? current == null : current != null && hostname.equals(current.hostname())) {
      return this;
    }
    return new EnvoyBackendHosts(
        backendsByEndpoint,
        none ? hosts.minus(endpoint) : hosts.plus(endpoint, new BackendHost(hostname, seq)));
  }

  /** The AIServiceBackends naming {@code endpoint}. */
  Set<ObjectKey> backendsOf(ObjectKey endpoint) {
    PSet<ObjectKey> backends = backendsByEndpoint.get(endpoint);
    return backends == null ? Set.of() : backends;
  }
}
