package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIGatewayRouteRule;
import io.aigw.core.model.AIGatewayRouteRuleBackendRef;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.BackendObjectReference;
import io.aigw.core.model.BackendSecurityPolicy;
import io.aigw.core.model.LocalPolicyTargetReference;
import io.aigw.projections.filterconfig.PolicyCredentials;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.References.SecretKeys;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.HashTrie;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.pcollections.PSortedSet;
import org.pcollections.TreePSet;

/**
 * The AI Gateway objects in effect and the reverse indexes that say what to recompute when an
 * object changes: which routes name a backend, which policies target a backend or read a Secret,
 * which routes need a ReferenceGrant in a namespace. Persistent maps ({@link HashTrie}): an update
 * shares everything else with the previous catalog. Empty index entries are removed, so adding then
 * removing an object gives back an equal catalog.
 *
 * @param routes AIGatewayRoutes in effect (last valid version)
 * @param backends AIServiceBackends in effect
 * @param policies BackendSecurityPolicies in effect
 * @param violations validation errors of the current version of AI objects that are invalid
 * @param routesByBackend AIServiceBackend key → routes naming it (whether it exists or not)
 * @param policiesByBackend AIServiceBackend key → policies targeting it
 * @param policiesBySecret Secret key → policies reading it
 * @param routesByGrantNamespace namespace → routes with a backend there in need of a grant
 * @param secrets Secret key → its key names and seq, for every Secret in the world
 * @param routesByAttachment where routes' catch-alls take requests → those routes, in precedence
 *     order ({@link ShadowedRoutes})
 * @param rotationFailures BackendSecurityPolicy key → the last failed rotation of its credential,
 *     until one succeeds or the policy goes
 * @param gateways the GatewayConfigs in effect, those Gateways name, and the routes of each Gateway
 * @param envoyBackends the Envoy Gateway Backends the AIServiceBackends name, and their hosts
 * @param quotas the QuotaPolicies in effect and the backends each targets
 */
public record Catalog(
    PMap<ObjectKey, Versioned<AIGatewayRoute>> routes,
    PMap<ObjectKey, Versioned<AIServiceBackend>> backends,
    PMap<ObjectKey, Versioned<BackendSecurityPolicy>> policies,
    PMap<ObjectKey, List<String>> violations,
    PMap<ObjectKey, PSet<ObjectKey>> routesByBackend,
    PMap<ObjectKey, PSet<ObjectKey>> policiesByBackend,
    PMap<ObjectKey, PSet<ObjectKey>> policiesBySecret,
    PMap<String, PSet<ObjectKey>> routesByGrantNamespace,
    PMap<ObjectKey, SecretKeys> secrets,
    PMap<Attachment, PSortedSet<RouteRank>> routesByAttachment,
    PMap<ObjectKey, RotationOutcome> rotationFailures,
    GatewayBindings gateways,
    EnvoyBackendHosts envoyBackends,
    QuotaPolicies quotas) {

  public static final Catalog EMPTY =
      new Catalog(
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          HashTrie.empty(),
          GatewayBindings.EMPTY,
          EnvoyBackendHosts.EMPTY,
          QuotaPolicies.EMPTY);

  static final ObjectKey secretKey(String namespace, String name) {
    return new ObjectKey("", "Secret", namespace, name);
  }

  /** The route version in effect becomes {@code route} (null: none), indexes follow. */
  Catalog withRoute(ObjectKey key, Versioned<AIGatewayRoute> route) {
    Versioned<AIGatewayRoute> old = routes.get(key);
    Set<ObjectKey> before = old == null ? Set.of() : backendsOf(old);
    Set<ObjectKey> after = route == null ? Set.of() : backendsOf(route);
    var byBackend = routesByBackend;
    var byGrant = routesByGrantNamespace;
    // most updates keep the backends: the indexes only change when they do
    if (!before.equals(after)) {
      byBackend = reindexed(byBackend, before, after, key);
      Set<String> grantsBefore = old == null ? Set.of() : grantNamespacesOf(old, before);
      Set<String> grantsAfter = route == null ? Set.of() : grantNamespacesOf(route, after);
      byGrant = reindexed(byGrant, grantsBefore, grantsAfter, key);
    }
    var byAttachment = withAttachments(routesByAttachment, key, old, route);
    var byGateway =
        gateways.withRoute(key, GatewayBindings.gatewaysOf(old), GatewayBindings.gatewaysOf(route));
    return new Catalog(
        route == null ? routes.minus(key) : routes.plus(key, route),
        backends,
        policies,
        violations,
        byBackend,
        policiesByBackend,
        policiesBySecret,
        byGrant,
        secrets,
        byAttachment,
        rotationFailures,
        byGateway,
        envoyBackends,
        quotas);
  }

  Catalog withEnvoyBackends(EnvoyBackendHosts hosts) {
    if (hosts == envoyBackends) {
      return this;
    }
    return new Catalog(
        routes,
        backends,
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        rotationFailures,
        gateways,
        hosts,
        quotas);
  }

  Catalog withQuotas(QuotaPolicies next) {
    if (next == quotas) {
      return this;
    }
    return new Catalog(
        routes,
        backends,
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        rotationFailures,
        gateways,
        envoyBackends,
        next);
  }

  Catalog withGateways(GatewayBindings bindings) {
    if (bindings == gateways) {
      return this;
    }
    return new Catalog(
        routes,
        backends,
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        rotationFailures,
        bindings,
        envoyBackends,
        quotas);
  }

  Catalog withBackend(ObjectKey key, Versioned<AIServiceBackend> backend) {
    Versioned<AIServiceBackend> old = backends.get(key);
    var byEndpoint =
        envoyBackends.withBackend(
            key,
            old == null ? null : envoyBackendOf(old),
            backend == null ? null : envoyBackendOf(backend));
    return new Catalog(
        routes,
        backend == null ? backends.minus(key) : backends.plus(key, backend),
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        rotationFailures,
        gateways,
        byEndpoint,
        quotas);
  }

  /** The Envoy Gateway Backend an AIServiceBackend's {@code backendRef} names. */
  static ObjectKey envoyBackendOf(Versioned<AIServiceBackend> backend) {
    BackendObjectReference ref = backend.resource().spec().backendRef();
    String namespace =
        ref.namespace() == null || ref.namespace().isEmpty()
            ? backend.namespace()
            : ref.namespace();
    String group = ref.group() == null ? "" : ref.group();
    String kind = ref.kind() == null ? "" : ref.kind();
    return new ObjectKey(group, kind, namespace, ref.name());
  }

  Catalog withPolicy(ObjectKey key, Versioned<BackendSecurityPolicy> policy) {
    Versioned<BackendSecurityPolicy> old = policies.get(key);
    Set<ObjectKey> targetsBefore = old == null ? Set.of() : targetsOf(old);
    Set<ObjectKey> targetsAfter = policy == null ? Set.of() : targetsOf(policy);
    Set<ObjectKey> secretsBefore = old == null ? Set.of() : secretsOf(old);
    Set<ObjectKey> secretsAfter = policy == null ? Set.of() : secretsOf(policy);
    var byBackend = reindexed(policiesByBackend, targetsBefore, targetsAfter, key);
    var bySecret = reindexed(policiesBySecret, secretsBefore, secretsAfter, key);
    return new Catalog(
        routes,
        backends,
        policy == null ? policies.minus(key) : policies.plus(key, policy),
        violations,
        routesByBackend,
        byBackend,
        bySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        policy == null ? rotationFailures.minus(key) : rotationFailures,
        gateways,
        envoyBackends,
        quotas);
  }

  Catalog withViolations(ObjectKey key, List<String> current) {
    if (current.isEmpty() && !violations.containsKey(key)) {
      return this;
    }
    return new Catalog(
        routes,
        backends,
        policies,
        current.isEmpty() ? violations.minus(key) : violations.plus(key, List.copyOf(current)),
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        rotationFailures,
        gateways,
        envoyBackends,
        quotas);
  }

  /** The Secret {@code key} becomes {@code keys} (null: it no longer exists). */
  Catalog withSecret(ObjectKey key, SecretKeys keys) {
    return new Catalog(
        routes,
        backends,
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        keys == null ? secrets.minus(key) : secrets.plus(key, keys),
        routesByAttachment,
        rotationFailures,
        gateways,
        envoyBackends,
        quotas);
  }

  /**
   * Records how rotating a policy's credential went: a failure is kept until a success for the same
   * policy. Outcomes of a policy that is not in effect, of an earlier one of the same name, or of
   * an older generation than the failure held, change nothing.
   */
  Catalog withRotation(RotationOutcome outcome) {
    ObjectKey key = outcome.key();
    Versioned<BackendSecurityPolicy> policy = policies.get(key);
    RotationOutcome held = rotationFailures.get(key);
    if (policy == null
        || !outcome.uid().equals(policy.resource().metadata().uidOrEmpty())
        // late, from a leader that rotated an older generation
        || (held != null && outcome.generation() < held.generation())) {
      return this;
    }
    var failures =
        outcome.failed() ? rotationFailures.plus(key, outcome) : rotationFailures.minus(key);
    return new Catalog(
        routes,
        backends,
        policies,
        violations,
        routesByBackend,
        policiesByBackend,
        policiesBySecret,
        routesByGrantNamespace,
        secrets,
        routesByAttachment,
        failures,
        gateways,
        envoyBackends,
        quotas);
  }

  /**
   * The failed rotation that holds for {@code policy} as it is in effect: the last one recorded,
   * when it used the policy's current generation.
   */
  Optional<RotationOutcome> rotationFailure(
      ObjectKey key, Versioned<BackendSecurityPolicy> policy) {
    RotationOutcome failure = rotationFailures.get(key);
    return failure != null
            && failure.uid().equals(policy.resource().metadata().uidOrEmpty())
            && failure.generation() == policy.resource().metadata().generationOrZero()
        ? Optional.of(failure)
        : Optional.empty();
  }

  /**
   * The attachment index once the route under {@code key} changes from {@code old} to {@code
   * route}.
   */
  private static PMap<Attachment, PSortedSet<RouteRank>> withAttachments(
      PMap<Attachment, PSortedSet<RouteRank>> index,
      ObjectKey key,
      Versioned<AIGatewayRoute> old,
      Versioned<AIGatewayRoute> route) {
    RouteRank rankBefore = old == null ? null : RouteRank.of(key, old);
    RouteRank rankAfter = route == null ? null : RouteRank.of(key, route);
    Set<Attachment> before = old == null ? Set.of() : Attachment.of(old);
    Set<Attachment> after = route == null ? Set.of() : Attachment.of(route);
    // most updates keep where a route attaches: the index only changes when that does
    if (before.equals(after) && Objects.equals(rankBefore, rankAfter)) {
      return index;
    }
    PMap<Attachment, PSortedSet<RouteRank>> out = index;
    for (Attachment attachment : before) {
      PSortedSet<RouteRank> rest = out.get(attachment).minus(rankBefore);
      out = rest.isEmpty() ? out.minus(attachment) : out.plus(attachment, rest);
    }
    for (Attachment attachment : after) {
      PSortedSet<RouteRank> ranks = out.getOrDefault(attachment, TreePSet.empty());
      out = out.plus(attachment, ranks.plus(rankAfter));
    }
    return out;
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
    return grantNamespacesOf(route, backendsOf(route));
  }

  private static Set<String> grantNamespacesOf(
      Versioned<AIGatewayRoute> route, Set<ObjectKey> backends) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (ObjectKey backend : backends) {
      if (!backend.namespace().equals(route.namespace())) {
        namespaces.add(backend.namespace());
      }
    }
    return namespaces;
  }

  /** The elements of {@code all} that are not in {@code removed}, in {@code all}'s order. */
  private static <K> Set<K> minus(Set<K> all, Set<K> removed) {
    if (removed.isEmpty()) {
      return all;
    }
    Set<K> rest = new LinkedHashSet<>(all);
    rest.removeAll(removed);
    return rest;
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
      References.backendTarget(policy.namespace(), target).ifPresent(keys::add);
    }
    return keys;
  }

  /** The Secret the policy names and the one its ExtProc mounts, when they differ. */
  static Set<ObjectKey> secretsOf(Versioned<BackendSecurityPolicy> policy) {
    Set<ObjectKey> keys = new LinkedHashSet<>();
    PolicyCredentials.secretOf(policy.resource())
        .ifPresent(use -> keys.add(secretKey(use.namespace(), use.name())));
    PolicyCredentials.mountOf(policy.resource())
        .ifPresent(use -> keys.add(secretKey(use.namespace(), use.name())));
    return keys;
  }

  /**
   * A reverse index once {@code value} moves from the keys {@code before} to the keys {@code
   * after}: what every index of the catalog and its parts does when an object changes what it
   * names. Keys left empty are removed.
   */
  static <K> PMap<K, PSet<ObjectKey>> reindexed(
      PMap<K, PSet<ObjectKey>> index, Set<K> before, Set<K> after, ObjectKey value) {
    if (before.equals(after)) {
      return index;
    }
    return addAll(removeAll(index, minus(before, after), value), minus(after, before), value);
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
