package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIGatewayRouteRule;
import io.aigw.core.model.AIGatewayRouteRuleBackendRef;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.projections.filterconfig.PolicyCredentials;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.Versioned;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * The AI Gateway objects in effect and the reverse indexes that say what to recompute when an
 * object changes: which routes name a backend, which policies target a backend or read a Secret,
 * which routes need a ReferenceGrant in a namespace. Persistent maps: an update shares everything
 * else with the previous catalog. Empty index entries are removed, so adding then removing an
 * object gives back an equal catalog.
 *
 * @param routes AIGatewayRoutes in effect (last valid version)
 * @param backends AIServiceBackends in effect
 * @param policies BackendSecurityPolicies in effect
 * @param violations validation errors of the current version of AI objects that are invalid
 * @param routesByBackend AIServiceBackend key → routes naming it (whether it exists or not)
 * @param policiesByBackend AIServiceBackend key → policies targeting it
 * @param policiesBySecret Secret key → policies reading it
 * @param routesByGrantNamespace namespace → routes with a backend there in need of a grant
 */
public record Catalog(
    PMap<ObjectKey, Versioned<AIGatewayRoute>> routes,
    PMap<ObjectKey, Versioned<AIServiceBackend>> backends,
    PMap<ObjectKey, Versioned<BackendSecurityPolicy>> policies,
    PMap<ObjectKey, List<String>> violations,
    PMap<ObjectKey, PSet<ObjectKey>> routesByBackend,
    PMap<ObjectKey, PSet<ObjectKey>> policiesByBackend,
    PMap<ObjectKey, PSet<ObjectKey>> policiesBySecret,
    PMap<String, PSet<ObjectKey>> routesByGrantNamespace) {

  public static final Catalog EMPTY =
      new Catalog(
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty(),
          HashTreePMap.empty());

  static final ObjectKey secretKey(String namespace, String name) {
    return new ObjectKey("", "Secret", namespace, name);
  }

  /** The route version in effect becomes {@code route} (null: none), indexes follow. */
  Catalog withRoute(ObjectKey key, Versioned<AIGatewayRoute> route) {
    Versioned<AIGatewayRoute> old = routes.get(key);
    var byBackend = routesByBackend;
    var byGrant = routesByGrantNamespace;
    if (old != null) {
      byBackend = removeAll(byBackend, backendsOf(old), key);
      byGrant = removeAll(byGrant, grantNamespacesOf(old), key);
    }
    if (route != null) {
      byBackend = addAll(byBackend, backendsOf(route), key);
      byGrant = addAll(byGrant, grantNamespacesOf(route), key);
    }
    return new Catalog(
        route == null ? routes.minus(key) : routes.plus(key, route),
        backends,
        policies,
        violations,
        byBackend,
        policiesByBackend,
        policiesBySecret,
        byGrant);
  }

  Catalog withBackend(ObjectKey key, Versioned<AIServiceBackend> backend) {
    return new Catalog(
        routes,
        backend == null ? backends.minus(key) : backends.plus(key, backend),
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace);
  }

  Catalog withPolicy(ObjectKey key, Versioned<BackendSecurityPolicy> policy) {
    Versioned<BackendSecurityPolicy> old = policies.get(key);
    var byBackend = policiesByBackend;
    var bySecret = policiesBySecret;
    if (old != null) {
      byBackend = removeAll(byBackend, targetsOf(old), key);
      bySecret = removeAll(bySecret, secretsOf(old), key);
    }
    if (policy != null) {
      byBackend = addAll(byBackend, targetsOf(policy), key);
      bySecret = addAll(bySecret, secretsOf(policy), key);
    }
    return new Catalog(
        routes,
        backends,
        policy == null ? policies.minus(key) : policies.plus(key, policy),
        violations,
        routesByBackend,
        byBackend,
        bySecret,
        routesByGrantNamespace);
  }

  Catalog withViolations(ObjectKey key, List<String> current) {
    return new Catalog(
        routes,
        backends,
        policies,
        current.isEmpty() ? violations.minus(key) : violations.plus(key, List.copyOf(current)),
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace);
  }

  /** The AIServiceBackend keys a route names (InferencePools aside). */
  static Set<ObjectKey> backendsOf(Versioned<AIGatewayRoute> route) {
    Set<ObjectKey> keys = new LinkedHashSet<>();
    for (AIGatewayRouteRule rule : route.resource().spec().rules()) {
      for (AIGatewayRouteRuleBackendRef ref : rule.backendRefs()) {
        if (ref.kind() == null || ref.kind().isEmpty()) {
          keys.add(References.backendKey(namespaceOf(route, ref), ref.name()));
        }
      }
    }
    return keys;
  }

  static Set<String> grantNamespacesOf(Versioned<AIGatewayRoute> route) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (ObjectKey backend : backendsOf(route)) {
      if (!backend.namespace().equals(route.namespace())) {
        namespaces.add(backend.namespace());
      }
    }
    return namespaces;
  }

  private static String namespaceOf(
      Versioned<AIGatewayRoute> route, AIGatewayRouteRuleBackendRef ref) {
    return ref.namespace() == null || ref.namespace().isEmpty()
        ? route.namespace()
        : ref.namespace();
  }

  /** The AIServiceBackend keys a policy targets. */
  static Set<ObjectKey> targetsOf(Versioned<BackendSecurityPolicy> policy) {
    Set<ObjectKey> keys = new LinkedHashSet<>();
    for (LocalPolicyTargetReference target : policy.resource().spec().targetRefs()) {
      if (AiResource.GROUP.equals(target.group()) && "AIServiceBackend".equals(target.kind())) {
        keys.add(References.backendKey(policy.namespace(), target.name()));
      }
    }
    return keys;
  }

  static Set<ObjectKey> secretsOf(Versioned<BackendSecurityPolicy> policy) {
    return PolicyCredentials.secretOf(policy.resource())
        .map(use -> Set.of(secretKey(use.namespace(), use.name())))
        .orElse(Set.of());
  }

  private static <K> PMap<K, PSet<ObjectKey>> addAll(
      PMap<K, PSet<ObjectKey>> index, Set<K> keys, ObjectKey value) {
    PMap<K, PSet<ObjectKey>> out = index;
    for (K key : keys) {
      PSet<ObjectKey> values = out.getOrDefault(key, HashTreePSet.empty());
      out = out.plus(key, values.plus(value));
    }
    return out;
  }

  private static <K> PMap<K, PSet<ObjectKey>> removeAll(
      PMap<K, PSet<ObjectKey>> index, Set<K> keys, ObjectKey value) {
    PMap<K, PSet<ObjectKey>> out = index;
    for (K key : keys) {
      PSet<ObjectKey> values = out.get(key);
      if (values != null) {
        PSet<ObjectKey> rest = values.minus(value);
        out = rest.isEmpty() ? out.minus(key) : out.plus(key, rest);
      }
    }
    return out;
  }
}
