package io.aigw.projections.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.projections.Projection;
import io.aigw.projections.desired.DesiredResourcesProjection;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.filterconfig.FilterConfigProjection;
import io.aigw.projections.filterconfig.References.SecretKeys;
import io.aigw.projections.world.KeyOrder;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldProjection;
import io.aigw.projections.world.WorldState;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.pcollections.PSet;

/**
 * The controller's fold: the world ({@link WorldProjection}) and, from it, the desired objects
 * ({@link DesiredResourcesProjection}), the filter configs ({@link FilterConfigProjection}) and the
 * statuses ({@code StatusProjection}) of every AI Gateway object.
 *
 * <p>Incremental: an entry first updates the catalog of AI objects in effect and its reverse
 * indexes, then recomputes only what depends on the changed object, found through the indexes
 * (backend → routes naming it, policy → backends it targets, Secret → policies reading it,
 * namespace → routes needing a ReferenceGrant there). Every recomputation reads the catalog after
 * the update, so the order in which dependents are recomputed never matters; the cost of an entry
 * is the size of what depends on it, not the size of the world. Objects of kinds aigw does not act
 * on change the world only.
 *
 * <p>An AI object whose new version fails validation keeps its last valid version in effect (a
 * cluster would have rejected the update) and gets the validator's messages as its status.
 */
public final class GatewayProjection implements Projection<GatewayState> {

  private final Recomputation recomputation;

  public GatewayProjection() {
    this(ExtProcSettings.DEFAULT);
  }

  public GatewayProjection(ExtProcSettings settings) {
    this(new FilterConfigProjection(), new DesiredResourcesProjection(settings));
  }

  public GatewayProjection(
      FilterConfigProjection filterConfigs, DesiredResourcesProjection desiredResources) {
    this.recomputation = new Recomputation(filterConfigs, desiredResources);
  }

  @Override
  public GatewayState initial() {
    return GatewayState.EMPTY;
  }

  @Override
  public GatewayState apply(GatewayState state, LogEntry entry) {
    if (!(entry.event() instanceof WatchEvent event)) {
      return withWorld(state, new WorldState(entry.seq(), state.world().objects()));
    }
    WorldObject previous = state.world().objects().get(event.key());
    // one key instance per object, its strings shared with other keys (see KeyOrder)
    ObjectKey key = previous != null ? previous.key() : KeyOrder.shared(event.key());
    var change =
        new CatalogUpdate.Change(key, event, entry.seq(), previous, parse(event, previous));
    WorldState world = WorldProjection.changed(state.world(), entry.seq(), key, event);
    Dependents dirty = new Dependents();
    Catalog catalog = state.catalog();
    if (AiResource.GROUP.equals(key.group())) {
      switch (key.kind()) {
        case AiResourceReader.KIND_ROUTE -> {
          catalog = CatalogUpdate.route(catalog, change);
          dirty.routes.add(key);
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
        default -> {
          return withWorld(state, world);
        }
      }
    } else if (key.group().isEmpty() && "Secret".equals(key.kind())) {
      catalog = catalog.withSecret(key, secretKeys(catalog, change));
      dirty.secretChanged(catalog, key);
    } else if (CatalogReferences.GATEWAY_API_GROUP.equals(key.group())
        && CatalogReferences.REFERENCE_GRANT.equals(key.kind())) {
      PSet<ObjectKey> routes = catalog.routesByGrantNamespace().get(key.namespace());
      if (routes != null) {
        dirty.routes.addAll(routes);
      }
    }
    if (dirty.isEmpty()) {
      return new GatewayState(
          world,
          catalog,
          state.desired(),
          state.filterConfigs(),
          state.statuses(),
          state.desiredByRoute());
    }
    return recomputation.apply(state, world, catalog, dirty, event);
  }

  /**
   * The event's object, parsed, which also checks that it is JSON (an UPSERT that is not fails the
   * entry, as in {@link WorldProjection}); null when there is nothing new to parse: a DELETE, or
   * the same object as the current version.
   */
  private static JsonNode parse(WatchEvent event, WorldObject previous) {
    if (isDelete(event) || (previous != null && sameObject(previous.event(), event))) {
      return null;
    }
    return CanonicalJson.read(event.objectJson());
  }

  /** Whether two events carry the same object, as far as anything the fold derives from it goes. */
  private static boolean sameObject(WatchEvent before, WatchEvent after) {
    return before.objectJson().equals(after.objectJson())
        && before.apiVersion().equals(after.apiVersion())
        && before.uid().equals(after.uid());
  }

  /** A Secret's key names (never values) and seq; null once it is deleted. */
  private static SecretKeys secretKeys(Catalog catalog, CatalogUpdate.Change change) {
    if (change.isDelete()) {
      return null;
    }
    SecretKeys current = catalog.secrets().get(change.key());
    if (change.unchanged() && current != null) {
      return new SecretKeys(current.keys(), change.seq());
    }
    JsonNode secret = change.tree();
    Set<String> keys = new LinkedHashSet<>();
    secret.path("data").fieldNames().forEachRemaining(keys::add);
    secret.path("stringData").fieldNames().forEachRemaining(keys::add);
    return new SecretKeys(keys, change.seq());
  }

  private static Set<ObjectKey> targetsOf(Catalog catalog, ObjectKey policyKey) {
    var policy = catalog.policies().get(policyKey);
    return policy == null ? Set.of() : Catalog.targetsOf(policy);
  }

  private static GatewayState withWorld(GatewayState state, WorldState world) {
    return new GatewayState(
        world,
        state.catalog(),
        state.desired(),
        state.filterConfigs(),
        state.statuses(),
        state.desiredByRoute());
  }

  /** What an entry makes stale; each set is recomputed once from the updated catalog. */
  static final class Dependents {
    final Set<ObjectKey> routes = new TreeSet<>();
    final Set<ObjectKey> backends = new TreeSet<>();
    final Set<ObjectKey> policies = new TreeSet<>();

    boolean isEmpty() {
      return routes.isEmpty() && backends.isEmpty() && policies.isEmpty();
    }

    void backendChanged(Catalog catalog, ObjectKey backend) {
      backends.add(backend);
      addAll(routes, catalog.routesByBackend().get(backend));
      addAll(policies, catalog.policiesByBackend().get(backend));
    }

    void policyChanged(
        Catalog catalog, ObjectKey policy, Set<ObjectKey> before, Set<ObjectKey> after) {
      policies.add(policy);
      Set<ObjectKey> targets = new TreeSet<>(before);
      targets.addAll(after);
      for (ObjectKey backend : targets) {
        backends.add(backend);
        addAll(routes, catalog.routesByBackend().get(backend));
        addAll(policies, catalog.policiesByBackend().get(backend));
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
