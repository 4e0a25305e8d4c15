package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.DesiredResourcesProjection;
import io.aigw.projections.filterconfig.FilterConfigProjection;
import io.aigw.projections.filterconfig.References;
import io.aigw.projections.filterconfig.RouteResolution;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.status.StatusProjection;
import io.aigw.projections.world.WorldObject;
import io.aigw.projections.world.WorldState;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.pcollections.PSortedMap;

/** Recomputes the outputs of the objects an entry made stale, from the updated catalog. */
final class Recomputation {

  private final FilterConfigProjection filterConfigs;
  private final DesiredResourcesProjection desiredResources;

  Recomputation(FilterConfigProjection filterConfigs, DesiredResourcesProjection desiredResources) {
    this.filterConfigs = filterConfigs;
    this.desiredResources = desiredResources;
  }

  GatewayState apply(
      GatewayState state, WorldState world, Catalog catalog, GatewayProjection.Dependents dirty) {
    var out = new Outputs(state);
    References references = new CatalogReferences(catalog, world);
    for (ObjectKey policy : dirty.policies) {
      var version = catalog.policies().get(policy);
      out.status(
          world,
          catalog,
          policy,
          () -> version == null ? List.of() : StatusProjection.policyProblems(version, references),
          StatusProjection.POLICY_ACCEPTED);
    }
    for (ObjectKey backend : dirty.backends) {
      out.status(
          world,
          catalog,
          backend,
          () -> StatusProjection.backendProblems(backend, references),
          StatusProjection.BACKEND_ACCEPTED);
    }
    for (ObjectKey route : dirty.routes) {
      List<String> problems = route(out, catalog.routes().get(route), route, references);
      out.status(world, catalog, route, () -> problems, StatusProjection.ROUTE_ACCEPTED);
    }
    return new GatewayState(
        world, catalog, out.desired, out.filterConfigs, out.statuses, out.desiredByRoute);
  }

  private List<String> route(
      Outputs out, Versioned<AIGatewayRoute> route, ObjectKey key, References references) {
    PSet<ObjectKey> previous = out.desiredByRoute.get(key);
    PSet<ObjectKey> produced = HashTreePSet.empty();
    List<String> problems = List.of();
    Translation translation = route == null ? null : translate(route, references);
    if (translation != null && translation.failure() == null) {
      RouteResolution resolution = translation.resolution();
      if (!resolution.config().equals(out.filterConfigs.get(key))) {
        out.filterConfigs = out.filterConfigs.plus(key, resolution.config());
      }
      for (DesiredResource resource : translation.resources()) {
        // put replaces: a route's objects keep their keys, so most updates remove nothing
        out.desired = out.desired.plus(resource.key(), resource);
        produced = produced.plus(resource.key());
      }
      out.desiredByRoute = out.desiredByRoute.plus(key, produced);
      problems = resolution.problems();
    } else {
      out.filterConfigs = out.filterConfigs.minus(key);
      out.desiredByRoute = out.desiredByRoute.minus(key);
      problems = translation == null ? List.of() : List.of(translation.failure());
    }
    if (previous != null) {
      for (ObjectKey resource : previous) {
        if (!produced.contains(resource)) {
          out.desired = out.desired.minus(resource);
        }
      }
    }
    return problems;
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

  /** The output maps being rebuilt for one entry. */
  private static final class Outputs {
    PSortedMap<ObjectKey, DesiredResource> desired;
    PSortedMap<ObjectKey, FilterConfig> filterConfigs;
    PSortedMap<ObjectKey, ResourceStatus> statuses;
    PMap<ObjectKey, PSet<ObjectKey>> desiredByRoute;

    Outputs(GatewayState state) {
      desired = state.desired();
      filterConfigs = state.filterConfigs();
      statuses = state.statuses();
      desiredByRoute = state.desiredByRoute();
    }

    /**
     * The status of an object that exists: its violations if its current version is invalid, else
     * the problems of the version in effect. No status for an object that does not exist.
     */
    void status(
        WorldState world,
        Catalog catalog,
        ObjectKey key,
        Supplier<List<String>> problems,
        String success) {
      Optional<WorldObject> current = world.get(key);
      if (current.isEmpty()) {
        statuses = statuses.minus(key);
        return;
      }
      List<String> violations = catalog.violations().get(key);
      List<String> messages = violations != null ? violations : problems.get();
      ResourceStatus status =
          StatusProjection.of(key, current.get().event().generation(), messages, success);
      // an unchanged status keeps its instance: readers see by identity that nothing changed
      if (!status.equals(statuses.get(key))) {
        statuses = statuses.plus(key, status);
      }
    }
  }
}
