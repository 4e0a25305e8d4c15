package io.aigw.projections.gateway;

import io.aigw.core.event.ObjectKey;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.GatewayConfig;
import io.aigw.core.model.ParentReference;
import io.aigw.projections.filterconfig.GatewayConfigBinding;
import io.aigw.projections.filterconfig.Versioned;
import io.aigw.projections.world.HashTrie;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * Which GatewayConfig each Gateway names and which routes attach to each Gateway: what finds the
 * routes to recompute when a GatewayConfig or a Gateway's annotation changes, and the GatewayConfig
 * a route follows. Empty index entries are removed, so adding then removing an object gives back an
 * equal value.
 *
 * @param configs GatewayConfigs in effect (last valid version)
 * @param configNames Gateway key → the GatewayConfig its annotation names, for Gateways that name
 *     one, with the seq of the version that first named it (later versions, such as status updates,
 *     change nothing the routes derive)
 * @param routesByGateway Gateway key → routes with a parentRef to it (whether it exists or not)
 */
record GatewayBindings(
    PMap<ObjectKey, Versioned<GatewayConfig>> configs,
    PMap<ObjectKey, ConfigName> configNames,
    PMap<ObjectKey, PSet<ObjectKey>> routesByGateway) {

  static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  static final String GATEWAY_KIND = "Gateway";

  static final GatewayBindings EMPTY =
      new GatewayBindings(HashTrie.empty(), HashTrie.empty(), HashTrie.empty());

  /** A GatewayConfig's name, as named by a Gateway's version at {@code seq}. */
  record ConfigName(String name, long seq) {}

  static boolean isGateway(String group, String kind) {
    return GATEWAY_GROUP.equals(group) && GATEWAY_KIND.equals(kind);
  }

  static ObjectKey gatewayKey(String namespace, String name) {
    return new ObjectKey(GATEWAY_GROUP, GATEWAY_KIND, namespace, name);
  }

  static ObjectKey configKey(String namespace, String name) {
    return new ObjectKey(AiResource.GROUP, AiResourceReader.KIND_GATEWAY_CONFIG, namespace, name);
  }

  GatewayBindings withConfig(ObjectKey key, Versioned<GatewayConfig> config) {
    return new GatewayBindings(
        config == null ? configs.minus(key) : configs.plus(key, config),
        configNames,
        routesByGateway);
  }

  /**
   * The GatewayConfig Gateway {@code gateway} names becomes {@code name} ("" or null: none), as of
   * its version at {@code seq}.
   */
  GatewayBindings withConfigName(ObjectKey gateway, String name, long seq) {
    boolean none = name == null || name.isEmpty();
    ConfigName current = configNames.get(gateway);
    if (none ? current == null : current != null && name.equals(current.name())) {
      return this;
    }
    return new GatewayBindings(
        configs,
        none ? configNames.minus(gateway) : configNames.plus(gateway, new ConfigName(name, seq)),
        routesByGateway);
  }

  /** The route under {@code route} attaches to {@code after} instead of {@code before}. */
  GatewayBindings withRoute(ObjectKey route, Set<ObjectKey> before, Set<ObjectKey> after) {
    PMap<ObjectKey, PSet<ObjectKey>> index =
        Catalog.reindexed(routesByGateway, before, after, route);
    return index == routesByGateway ? this : new GatewayBindings(configs, configNames, index);
  }

  /** The routes attached to {@code gateway}. */
  Set<ObjectKey> routesOf(ObjectKey gateway) {
    PSet<ObjectKey> routes = routesByGateway.get(gateway);
    return routes == null ? Set.of() : routes;
  }

  /**
   * The routes attached to a Gateway that names the GatewayConfig {@code config}. Gateways are few,
   * so they are looked through rather than indexed.
   */
  Set<ObjectKey> routesOfConfig(ObjectKey config) {
    Set<ObjectKey> routes = new LinkedHashSet<>();
    for (Map.Entry<ObjectKey, ConfigName> named : configNames.entrySet()) {
      ObjectKey gateway = named.getKey();
      if (gateway.namespace().equals(config.namespace())
          && named.getValue().name().equals(config.name())) {
        routes.addAll(routesOf(gateway));
      }
    }
    return routes;
  }

  /** The Gateways a route's parentRefs name, in their order. */
  static Set<ObjectKey> gatewaysOf(Versioned<AIGatewayRoute> route) {
    if (route == null) {
      return Set.of();
    }
    Set<ObjectKey> gateways = new LinkedHashSet<>();
    for (ParentReference parent : route.resource().spec().parentRefs()) {
      gateways.add(gatewayOf(route, parent));
    }
    return gateways;
  }

  private static ObjectKey gatewayOf(Versioned<AIGatewayRoute> route, ParentReference parent) {
    String namespace =
        parent.namespace() == null || parent.namespace().isEmpty()
            ? route.namespace()
            : parent.namespace();
    return gatewayKey(namespace, parent.name());
  }

  /** A parent Gateway of a route that names a GatewayConfig: the parentRef's index, and both. */
  private record Naming(int index, ObjectKey gateway, ObjectKey config, long seq) {}

  /**
   * The GatewayConfig {@code route} follows: that of its first parent Gateway that names one, with
   * what the route's status should say about the others. {@code rejected}: the keys of objects with
   * no valid version.
   */
  GatewayConfigBinding bindingOf(Versioned<AIGatewayRoute> route, Set<ObjectKey> rejected) {
    List<Naming> namings = namings(route);
    if (namings.isEmpty()) {
      return GatewayConfigBinding.NONE;
    }
    Naming chosen = namings.get(0);
    List<String> problems = new ArrayList<>();
    TreeSet<Long> seqs = new TreeSet<>(List.of(chosen.seq()));
    Versioned<GatewayConfig> config = configs.get(chosen.config());
    if (config == null) {
      problems.add(
          "spec.parentRefs: Gateway "
              + ref(chosen.gateway())
              + " names GatewayConfig "
              + ref(chosen.config())
              + (rejected.contains(chosen.config())
                  ? ", which is not valid (see its status)"
                  : ", not found"));
    } else {
      seqs.add(config.seq());
    }
    for (Naming other : namings.subList(1, namings.size())) {
      if (!other.config().equals(chosen.config())) {
        seqs.add(other.seq());
        problems.add(
            "spec.parentRefs["
                + other.index()
                + "]: Gateway "
                + ref(other.gateway())
                + " names GatewayConfig "
                + ref(other.config())
                + ", but the route's ExtProc follows GatewayConfig "
                + ref(chosen.config())
                + " of Gateway "
                + ref(chosen.gateway())
                + ", its first parent to name one");
      }
    }
    boolean ownNamespace = chosen.config().namespace().equals(route.namespace());
    if (config != null && !ownNamespace && setsContainer(config)) {
      problems.add(
          "spec.parentRefs: GatewayConfig "
              + ref(chosen.config())
              + " of Gateway "
              + ref(chosen.gateway())
              + ": its extProc.kubernetes applies to the routes of namespace "
              + chosen.config().namespace()
              + " only, since it would choose the image, and the Secrets read, of this"
              + " namespace's ExtProc pods; its global costs apply");
    }
    return new GatewayConfigBinding(
        Optional.ofNullable(config),
        ownNamespace ? Optional.ofNullable(config) : Optional.empty(),
        problems,
        seqs);
  }

  /** The parents of {@code route} whose Gateways name a GatewayConfig, in their order. */
  private List<Naming> namings(Versioned<AIGatewayRoute> route) {
    List<ParentReference> parents = route.resource().spec().parentRefs();
    List<Naming> namings = new ArrayList<>();
    for (int i = 0; i < parents.size(); i++) {
      ObjectKey gateway = gatewayOf(route, parents.get(i));
      ConfigName named = configNames.get(gateway);
      if (named != null) {
        namings.add(
            new Naming(i, gateway, configKey(gateway.namespace(), named.name()), named.seq()));
      }
    }
    return namings;
  }

  private static boolean setsContainer(Versioned<GatewayConfig> config) {
    return config.resource().spec().container().isPresent();
  }

  private static String ref(ObjectKey key) {
    return key.namespace() + "/" + key.name();
  }
}
