package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.GatewayConfig;
import io.aigw.projections.desired.ContainerOverrides;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.DesiredResourcesProjection;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.projections.filterconfig.FilterConfigProjection;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.RouteResolution;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.status.StatusProjection;
import io.aigw.projections.world.HashTrie;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.pcollections.PSortedMap;

/** Recomputes the outputs of the objects an entry made stale, from the updated catalog. */
final class Recomputation {

  /** From how many stale routes translating them is worth spreading over the cores. */
  private static final int PARALLEL_FROM = 64;

  private final FilterConfigProjection filterConfigs;
  private final DesiredResourcesProjection desiredResources;

  private final ExtProcScope scope;

  Recomputation(
      FilterConfigProjection filterConfigs,
      DesiredResourcesProjection desiredResources,
      ExtProcScope scope) {
    this.filterConfigs = filterConfigs;
    this.desiredResources = desiredResources;
    this.scope = scope;
  }

  /**
   * The outputs after {@code before} once every object in {@code stale} is recomputed from {@code
   * catalog} and {@code world}, with {@code lineage} recorded (where they derive from, with what
   * was recomputed since: {@code before} and {@code stale}, or further back). Each object's outputs
   * depend on those two alone, so which entries made it stale, and in what order, never matters.
   */
  Outputs apply(
      Outputs before, WorldState world, Catalog catalog, Stale stale, Outputs.Lineage lineage) {
    var out = new Work(before, world, catalog);
    References references = new CatalogReferences(catalog, world);
    for (ObjectKey key : stale.sortedQuotaPolicies()) {
      var quota = catalog.quotas().policies().get(key);
      out.status(
          key,
          () ->
              quota == null
                  ? List.of()
                  : StatusProjection.quotaProblems(
                      quota, references, filterConfigs.quotaProblems(quota, references)),
          StatusProjection.QUOTA_POLICY_ACCEPTED);
    }
    for (ObjectKey policy : stale.sortedPolicies()) {
      var version = catalog.policies().get(policy);
      out.status(
          policy,
          () ->
              version == null
                  ? List.of()
                  : StatusProjection.policyProblems(
                      version,
                      references,
                      catalog.rotationFailure(policy, version).map(RotationOutcome::failure)),
          StatusProjection.POLICY_ACCEPTED);
    }
    for (ObjectKey key : stale.sortedGatewayConfigs()) {
      var version = catalog.gateways().configs().get(key);
      out.status(
          key,
          () -> version == null ? List.of() : gatewayConfigProblems(version.resource()),
          StatusProjection.GATEWAY_CONFIG_ACCEPTED);
    }
    for (ObjectKey backend : stale.sortedBackends()) {
      out.status(
          backend,
          () -> StatusProjection.backendProblems(backend, references),
          StatusProjection.BACKEND_ACCEPTED);
    }
    List<ObjectKey> routes = List.copyOf(stale.sortedRoutes());
    List<Translation> translations = translations(routes, catalog, references);
    for (int i = 0; i < routes.size(); i++) {
      ObjectKey route = routes.get(i);
      List<String> problems = route(out, translations.get(i), route);
      out.status(
          route, () -> withShadows(problems, route, catalog), StatusProjection.ROUTE_ACCEPTED);
    }
    return new Outputs(out.desired, out.filterConfigs, out.statuses, out.desiredByRoute, lineage);
  }

  /**
   * The translation of each route (null for one not in effect), in the order given. Translations
   * only read the catalog, so many are made on all cores (a replay's last state, a {@code stateAt}
   * far from its snapshot); the results, and the order they are put in, are the same either way.
   */
  private List<Translation> translations(
      List<ObjectKey> routes, Catalog catalog, References references) {
    IntFunction<Translation> translate =
        i -> {
          Versioned<AIGatewayRoute> route = catalog.routes().get(routes.get(i));
          return route == null ? null : translate(route, references);
        };
    IntStream indexes = IntStream.range(0, routes.size());
    if (routes.size() >= PARALLEL_FROM) {
      indexes = indexes.parallel();
    }
    return indexes.mapToObj(translate).collect(Collectors.toList());
  }

  private List<String> route(Work out, Translation translation, ObjectKey key) {
    List<DesiredResource> previous = out.desiredByRoute.getOrDefault(key, List.of());
    List<DesiredResource> produced = List.of();
    List<String> problems;
    if (translation != null && translation.failure() == null) {
      RouteResolution resolution = translation.resolution();
      if (!resolution.config().equals(out.filterConfigs.get(key))) {
        out.filterConfigs = out.filterConfigs.plus(key, resolution.config());
      }
      produced = out.put(translation.resources(), previous);
      if (produced != previous) {
        out.desiredByRoute = out.desiredByRoute.plus(key, produced);
      }
      problems = resolution.problems();
    } else {
      out.filterConfigs = out.filterConfigs.minus(key);
      out.desiredByRoute = out.desiredByRoute.minus(key);
      problems = translation == null ? List.of() : List.of(translation.failure());
    }
    out.removeOthers(previous, produced);
    return problems;
  }

  private List<String> gatewayConfigProblems(GatewayConfig config) {
    ExtProcSettings settings = desiredResources.settings();
    return StatusProjection.gatewayConfigProblems(
        config,
        filterConfigs.globalCostProblems(config),
        ContainerOverrides.of(config, settings.image()),
        settings.busyPollMicros() > 0,
        scope == ExtProcScope.ROUTE);
  }

  /**
   * A route's problems and, when each route has its own ExtProc, the routes taking its requests.
   */
  private List<String> withShadows(List<String> problems, ObjectKey key, Catalog catalog) {
    Versioned<AIGatewayRoute> route = catalog.routes().get(key);
    if (scope != ExtProcScope.ROUTE || route == null) {
      return problems;
    }
    List<String> shadows = ShadowedRoutes.problems(key, route, catalog);
    if (shadows.isEmpty()) {
      return problems;
    }
    List<String> all = new ArrayList<>(problems);
    all.addAll(shadows);
    return all;
  }

  /** A route's resolution and objects, or why they could not be built. */
  private record Translation(
      RouteResolution resolution, List<DesiredResource> resources, String failure) {}

  /**
   * Bad input must never stop the fold: a route whose translation throws (a case validation does
   * not cover) gets no objects and a status saying so; the same input always fails the same way.
   */
  private Translation translate(Versioned<AIGatewayRoute> route, References references) {
    try {
      RouteResolution resolution = filterConfigs.resolve(route, references);
      return new Translation(resolution, desiredResources.project(resolution), null);
    } catch (RuntimeException e) {
      return new Translation(null, List.of(), "the route could not be translated: " + e);
    }
  }

  /** The output maps being rebuilt. */
  private static final class Work {
    final WorldState world;
    final Catalog catalog;
    PSortedMap<ObjectKey, DesiredResource> desired;
    PSortedMap<ObjectKey, FilterConfig> filterConfigs;
    PSortedMap<ObjectKey, ResourceStatus> statuses;
    HashTrie<ObjectKey, List<DesiredResource>> desiredByRoute;

    Work(Outputs before, WorldState world, Catalog catalog) {
      this.world = world;
      this.catalog = catalog;
      desired = before.desired();
      filterConfigs = before.filterConfigs();
      statuses = before.statuses();
      desiredByRoute = before.desiredByRoute();
    }

    /**
     * Puts a route's objects; an object known to equal the one it replaces keeps the old instance
     * (readers see by identity that nothing changed, and the map is not touched). The objects now
     * in the map, {@code previous} itself when none changed.
     */
    List<DesiredResource> put(List<DesiredResource> resources, List<DesiredResource> previous) {
      List<DesiredResource> current = new ArrayList<>(resources.size());
      boolean changed = resources.size() != previous.size();
      for (int i = 0; i < resources.size(); i++) {
        DesiredResource resource = resources.get(i);
        DesiredResource before = i < previous.size() ? previous.get(i) : null;
        if (before != null && resource.sameAs(before)) {
          current.add(before);
        } else {
          // put replaces: a route's objects keep their keys, so most updates remove nothing
          desired = desired.plus(resource.key(), resource);
          current.add(resource);
          changed = true;
        }
      }
      return changed ? List.copyOf(current) : previous;
    }

    /** Removes the objects of {@code previous} whose keys {@code current} does not have. */
    void removeOthers(List<DesiredResource> previous, List<DesiredResource> current) {
      for (DesiredResource resource : previous) {
        if (!hasKey(current, resource.key())) {
          desired = desired.minus(resource.key());
        }
      }
    }

    private static boolean hasKey(List<DesiredResource> resources, ObjectKey key) {
      for (DesiredResource resource : resources) {
        if (resource.key().equals(key)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The status of an object that exists: its violations if its current version is invalid, else
     * the problems of the version in effect. No status for an object that does not exist or is
     * being deleted: it takes no part, and the status would say nothing about it.
     */
    void status(ObjectKey key, Supplier<List<String>> problems, String success) {
      WorldObject object = world.objects().get(key);
      if (object == null || BeingDeleted.test(object.event())) {
        statuses = statuses.minus(key);
        return;
      }
      String uid = object.event().uid();
      long generation = object.event().generation();
      List<String> violations = catalog.violations().get(key);
      List<String> messages = violations != null ? violations : problemsOf(key, problems);
      ResourceStatus current = statuses.get(key);
      // an unchanged status keeps its instance: readers see by identity that nothing changed
      if (current == null
          || !StatusProjection.isAlready(current, uid, generation, messages, success)) {
        statuses = statuses.plus(key, StatusProjection.of(key, uid, generation, messages, success));
      }
    }

    /**
     * Outputs are derived when read, where nothing could skip the entry that caused a failure: an
     * object whose problems cannot be worked out says so in its status (the same input always fails
     * the same way), and reading never throws.
     */
    private static List<String> problemsOf(ObjectKey key, Supplier<List<String>> problems) {
      try {
        return problems.get();
      } catch (RuntimeException e) {
        return List.of("the status of " + key + " could not be worked out: " + e);
      }
    }
  }
}
