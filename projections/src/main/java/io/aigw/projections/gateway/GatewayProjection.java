package io.aigw.projections.gateway;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.projections.Projection;
import io.aigw.projections.desired.DesiredResourcesProjection;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.filterconfig.FilterConfigProjection;
import io.aigw.projections.filterconfig.References.SecretKeys;
import io.aigw.projections.world.KeyOrder;
import io.aigw.projections.world.PreparedEntries;
import io.aigw.projections.world.ReferenceGrants;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldProjection;
import io.aigw.projections.world.WorldState;
import java.util.HashSet;
import java.util.Set;
import org.pcollections.PSet;

/**
 * The controller's fold: the world ({@link WorldProjection}) and, from it, the desired objects
 * ({@link DesiredResourcesProjection}), the filter configs ({@link FilterConfigProjection}) and the
 * statuses ({@code StatusProjection}) of every AI Gateway object.
 *
 * <p>Incremental: an entry first updates the catalog of AI objects in effect and its reverse
 * indexes, then recomputes only what depends on the changed object, found through the indexes
 * (backend → routes naming it, policy → backends it targets, Secret → policies reading it,
 * namespace → routes needing a ReferenceGrant there, Gateway listener and hostname → the routes
 * attached there, when the route with precedence changes, Gateway → its routes when the
 * GatewayConfig it names changes, GatewayConfig → the routes of the Gateways naming it, Envoy
 * Gateway Backend → the AIServiceBackends naming it, when its host changes). Every recomputation
 * reads the catalog after the update, so the order in which dependents are recomputed never
 * matters; the cost of an entry is the size of what depends on it, not the size of the world.
 * Objects of kinds aigw does not act on change the world only.
 *
 * <p>An AI object whose new version fails validation keeps its last valid version in effect (a
 * cluster would have rejected the update) and gets the validator's messages as its status. An AI
 * object, Secret, Gateway or ReferenceGrant being deleted ({@code metadata.deletionTimestamp},
 * waiting for finalizers) counts as deleted; the world keeps it as it is.
 *
 * <p>A failed rotation of a policy's credential ({@link RotationOutcome}) is a problem in the
 * policy's status until a rotation succeeds or the policy gets a new generation.
 */
public final class GatewayProjection implements Projection<GatewayState> {

  private final Recomputation recomputation;
  private final ExtProcScope scope;
  private final PreparedEntries<Prepared> ahead = new PreparedEntries<>();

  public GatewayProjection() {
    this(ExtProcSettings.DEFAULT);
  }

  /** The fold of a cluster controller: each route has its own ExtProc. */
  public GatewayProjection(ExtProcSettings settings) {
    this(settings, ExtProcScope.ROUTE);
  }

  public GatewayProjection(ExtProcSettings settings, ExtProcScope scope) {
    this(
        new FilterConfigProjection(settings.apiPaths()),
        new DesiredResourcesProjection(settings),
        scope);
  }

  public GatewayProjection(
      FilterConfigProjection filterConfigs,
      DesiredResourcesProjection desiredResources,
      ExtProcScope scope) {
    this.recomputation = new Recomputation(filterConfigs, desiredResources, scope);
    this.scope = scope;
  }

  /**
   * Derives the outputs the fold left stale (the first read would, elsewhere). A host settles the
   * states it keeps as snapshots, so a {@code stateAt} from one derives only what its tail made
   * stale, and its last state after a replay.
   */
  @Override
  public void settle(GatewayState state) {
    state.desired();
    state.filterConfigs();
    state.statuses();
  }

  @Override
  public GatewayState initial() {
    return GatewayState.EMPTY;
  }

  @Override
  public GatewayState apply(GatewayState state, LogEntry entry) {
    if (entry.event() instanceof RotationOutcome rotation) {
      WorldState world = new WorldState(entry.seq(), state.world().objects());
      Catalog catalog = state.catalog().withRotation(rotation);
      if (catalog == state.catalog()) {
        return state.next(world, catalog);
      }
      // only the policy's status says how its rotation went
      Dependents dirty = new Dependents();
      dirty.policies.add(rotation.key());
      return state.next(world, catalog, dirty, recomputation);
    }
    if (!(entry.event() instanceof WatchEvent event)) {
      return state.next(new WorldState(entry.seq(), state.world().objects()), state.catalog());
    }
    WorldObject previous = state.world().objects().get(event.key());
    // one key instance per object, its strings shared with other keys (see KeyOrder)
    ObjectKey key = previous != null ? previous.key() : KeyOrder.shared(event.key());
    CatalogUpdate.Change change = change(entry, event, key, previous);
    WorldState world = WorldProjection.changed(state.world(), entry.seq(), key, event);
    Dependents dirty = new Dependents();
    Catalog catalog =
        AiResource.GROUP.equals(key.group())
            ? aiObjectChanged(state.catalog(), key, change, dirty)
            : otherObjectChanged(state.catalog(), key, change, entry.seq(), dirty);
    if (dirty.isEmpty()) {
      return state.next(world, catalog);
    }
    // the outputs of what the entry made stale are recomputed when first read (GatewayState)
    return state.next(world, catalog, dirty, recomputation);
  }

  /**
   * Folds a change of an AI Gateway object into the catalog; {@code dirty} takes what it affects.
   */
  private Catalog aiObjectChanged(
      Catalog catalog, ObjectKey key, CatalogUpdate.Change change, Dependents dirty) {
    switch (key.kind()) {
      case AiResourceReader.KIND_ROUTE -> {
        Catalog before = catalog;
        catalog = CatalogUpdate.route(catalog, change);
        dirty.routes.add(key);
        if (scope == ExtProcScope.ROUTE) {
          dirty.routes.addAll(ShadowedRoutes.affectedBy(before, catalog, key));
        }
      }
      case AiResourceReader.KIND_BACKEND -> {
        catalog = CatalogUpdate.backend(catalog, change);
        dirty.backendChanged(catalog, key);
      }
      case AiResourceReader.KIND_POLICY -> {
        Set<ObjectKey> before = targetsOf(catalog, key);
        catalog = CatalogUpdate.policy(catalog, change);
        dirty.policyChanged(catalog, key, before, targetsOf(catalog, key));
      }
      case AiResourceReader.KIND_QUOTA_POLICY -> {
        Set<ObjectKey> before = QuotaPolicies.targetsOf(catalog.quotas().policies().get(key));
        catalog = CatalogUpdate.quotaPolicy(catalog, change);
        Set<ObjectKey> after = QuotaPolicies.targetsOf(catalog.quotas().policies().get(key));
        dirty.quotaChanged(catalog, key, before, after);
      }
      case AiResourceReader.KIND_GATEWAY_CONFIG -> {
        catalog = CatalogUpdate.gatewayConfig(catalog, change);
        dirty.gatewayConfigs.add(key);
        dirty.routes.addAll(catalog.gateways().routesOfConfig(key));
      }
      default -> {
        // a kind of the group aigw does not read
      }
    }
    return catalog;
  }

  /**
   * Folds a change of an object of another kind that the outputs read: a Gateway's GatewayConfig,
   * an Envoy Gateway Backend an AIServiceBackend names, a Secret's key names, a ReferenceGrant.
   */
  private static Catalog otherObjectChanged(
      Catalog catalog, ObjectKey key, CatalogUpdate.Change change, long seq, Dependents dirty) {
    if (GatewayBindings.isGateway(key.group(), key.kind()) && !change.unchanged()) {
      GatewayBindings bindings =
          catalog.gateways().withConfigName(key, gatewayConfigName(change), seq);
      if (bindings != catalog.gateways()) {
        catalog = catalog.withGateways(bindings);
        dirty.routes.addAll(bindings.routesOf(key));
      }
    } else if (EnvoyBackendHosts.isEnvoyBackend(key.group(), key.kind()) && !change.unchanged()) {
      // its host is what Bedrock requests through it are signed for
      String hostname =
          change.removed() ? null : ((Prepared.EnvoyBackendHost) change.object()).hostname();
      EnvoyBackendHosts hosts = catalog.envoyBackends().withHost(key, hostname, seq);
      if (hosts != catalog.envoyBackends()) {
        catalog = catalog.withEnvoyBackends(hosts);
        for (ObjectKey backend : hosts.backendsOf(key)) {
          dirty.backendChanged(catalog, backend);
        }
      }
    } else if (key.group().isEmpty() && "Secret".equals(key.kind())) {
      catalog = catalog.withSecret(key, secretKeys(catalog, change));
      dirty.secretChanged(catalog, key);
    } else if (ReferenceGrants.GROUP.equals(key.group())
        && ReferenceGrants.KIND.equals(key.kind())) {
      PSet<ObjectKey> routes = catalog.routesByGrantNamespace().get(key.namespace());
      if (routes != null) {
        dirty.routes.addAll(routes);
      }
    }
    return catalog;
  }

  /**
   * The change an entry makes to an object. A new object is parsed (an UPSERT that is not JSON
   * fails the entry, as in {@link WorldProjection}) unless {@link #prepare} did it; the same object
   * as the current version is not parsed again.
   */
  private CatalogUpdate.Change change(
      LogEntry entry, WatchEvent event, ObjectKey key, WorldObject previous) {
    if (isDelete(event)) {
      return new CatalogUpdate.Change(key, event, entry.seq(), previous, false, null, true);
    }
    Prepared prepared = ahead.take(entry.seq(), event);
    if (BeingDeleted.test(event)) {
      return new CatalogUpdate.Change(key, event, entry.seq(), previous, false, null, true);
    }
    boolean unchanged = previous != null && sameObject(previous.event(), event);
    if (prepared == null && !unchanged) {
      prepared = Prepared.of(event);
    }
    return new CatalogUpdate.Change(key, event, entry.seq(), previous, unchanged, prepared, false);
  }

  /**
   * Does ahead what folding {@code entry} needs of its object alone: parsing, and for the AI
   * Gateway kinds normalising, validating and reading; for a Secret, its key names; for a Gateway,
   * the GatewayConfig it names; for an Envoy Gateway Backend, its host. A host calls it on the
   * thread that reads the log, before it folds the entry, to take that work off the folding thread;
   * {@link #apply} takes the result when it reaches that very entry and does the same work itself
   * when nothing was prepared. Results never depend on it. Thread-safe; memory stays bounded
   * whatever the caller does ({@link PreparedEntries}).
   */
  @Override
  public void prepare(LogEntry entry) {
    if (entry.event() instanceof WatchEvent event && !isDelete(event)) {
      try {
        ahead.put(entry.seq(), event, Prepared.of(event));
      } catch (IllegalArgumentException e) {
        // not JSON: the fold fails this entry when it gets there, exactly as without preparing
      }
    }
  }

  /** Whether two events carry the same object, as far as anything the fold derives from it goes. */
  private static boolean sameObject(WatchEvent before, WatchEvent after) {
    return before.objectJson().equals(after.objectJson())
        && before.apiVersion().equals(after.apiVersion())
        && before.uid().equals(after.uid());
  }

  /** A Secret's key names (never values) and seq; null once it is deleted. */
  private static SecretKeys secretKeys(Catalog catalog, CatalogUpdate.Change change) {
    if (change.removed()) {
      return null;
    }
    SecretKeys current = catalog.secrets().get(change.key());
    if (change.unchanged() && current != null) {
      return new SecretKeys(current.keys(), change.seq());
    }
    return new SecretKeys(((Prepared.SecretKeyNames) change.object()).keys(), change.seq());
  }

  /** The GatewayConfig a Gateway names; null once it is deleted. */
  private static String gatewayConfigName(CatalogUpdate.Change change) {
    return change.removed()
        ? null
        : ((Prepared.GatewayAnnotation) change.object()).gatewayConfigName();
  }

  private static Set<ObjectKey> targetsOf(Catalog catalog, ObjectKey policyKey) {
    var policy = catalog.policies().get(policyKey);
    return policy == null ? Set.of() : Catalog.targetsOf(policy);
  }

  /** What an entry makes stale; each set is recomputed once from the updated catalog. */
  static final class Dependents {
    final Set<ObjectKey> routes = new HashSet<>();
    final Set<ObjectKey> backends = new HashSet<>();
    final Set<ObjectKey> policies = new HashSet<>();
    final Set<ObjectKey> gatewayConfigs = new HashSet<>();
    final Set<ObjectKey> quotaPolicies = new HashSet<>();

    boolean isEmpty() {
      return routes.isEmpty()
          && backends.isEmpty()
          && policies.isEmpty()
          && gatewayConfigs.isEmpty()
          && quotaPolicies.isEmpty();
    }

    void backendChanged(Catalog catalog, ObjectKey backend) {
      backends.add(backend);
      addAll(routes, catalog.routesByBackend().get(backend));
      addAll(policies, catalog.policiesByBackend().get(backend));
      addAll(quotaPolicies, catalog.quotas().byBackend().get(backend));
    }

    void policyChanged(
        Catalog catalog, ObjectKey policy, Set<ObjectKey> before, Set<ObjectKey> after) {
      policies.add(policy);
      Set<ObjectKey> targets = new HashSet<>(before);
      targets.addAll(after);
      for (ObjectKey backend : targets) {
        backends.add(backend);
        addAll(routes, catalog.routesByBackend().get(backend));
        addAll(policies, catalog.policiesByBackend().get(backend));
      }
    }

    /**
     * The routes of the backends a QuotaPolicy targets, before and after, change their configs; the
     * other QuotaPolicies of those backends may win or lose a model to it.
     */
    void quotaChanged(
        Catalog catalog, ObjectKey policy, Set<ObjectKey> before, Set<ObjectKey> after) {
      quotaPolicies.add(policy);
      Set<ObjectKey> targets = new HashSet<>(before);
      targets.addAll(after);
      for (ObjectKey backend : targets) {
        addAll(routes, catalog.routesByBackend().get(backend));
        addAll(quotaPolicies, catalog.quotas().byBackend().get(backend));
      }
    }

    void secretChanged(Catalog catalog, ObjectKey secret) {
      PSet<ObjectKey> readers = catalog.policiesBySecret().get(secret);
      if (readers == null) {
        return;
      }
      for (ObjectKey policy : readers) {
        policies.add(policy);
        for (ObjectKey backend : targetsOf(catalog, policy)) {
          addAll(routes, catalog.routesByBackend().get(backend));
        }
      }
    }

    private static void addAll(Set<ObjectKey> into, PSet<ObjectKey> keys) {
      if (keys != null) {
        into.addAll(keys);
      }
    }
  }

  static boolean isDelete(WatchEvent event) {
    return event.type() == EventType.DELETE;
  }
}
