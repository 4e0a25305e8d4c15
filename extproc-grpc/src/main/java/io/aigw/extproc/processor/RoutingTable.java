package io.aigw.extproc.processor;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.extproc.quota.QuotaPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Every route one ExtProc serves, immutable. A new config builds a new table which the server swaps
 * in atomically; a stream keeps the table it started with.
 *
 * <p>Which routes serve a request ({@link #routesFor}): the routes one of whose {@code hostnames}
 * matches the request's {@code :authority} (port stripped, case ignored), in namespace/name order,
 * followed by the routes that set no hostnames, in namespace/name order. The first of them with a
 * matching rule takes the request.
 */
public record RoutingTable(
    List<Route> routes, boolean loaded, Set<String> credentialOverrideHeaders, ServedPaths paths) {

  private static final List<String> AWS_OVERRIDE_SUFFIXES =
      List.of("access-key-id", "secret-access-key", "session-token");

  private static final RoutingTable EMPTY = new RoutingTable(List.of());
  private static final RoutingTable NOT_LOADED = new RoutingTable(List.of(), false);

  /**
   * The routes, sorted.
   *
   * @param credentialOverrideHeaders the request headers in which the backends take a credential a
   *     request brings (never recorded, never passed on)
   * @param paths the request paths the routes' configs serve
   */
  public RoutingTable {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparing(Route::namespace).thenComparing(Route::name));
    routes = List.copyOf(sorted);
    credentialOverrideHeaders = Set.copyOf(credentialOverrideHeaders);
    Objects.requireNonNull(paths, "paths");
  }

  /**
   * The table of {@code routes}, loaded or not, with the credential-override headers they name:
   * found once here, read per request.
   */
  public RoutingTable(List<Route> routes, boolean loaded) {
    this(routes, loaded, overrideHeaders(routes), ServedPaths.DEFAULT);
  }

  /** The table of a loaded config serving {@code paths}. */
  public RoutingTable(List<Route> routes, ServedPaths paths) {
    this(routes, true, overrideHeaders(routes), paths);
  }

  private static Set<String> overrideHeaders(List<Route> routes) {
    Set<String> names = new HashSet<>();
    for (Route route : routes) {
      for (RouteRule rule : route.rules()) {
        for (BackendChoice choice : rule.backends()) {
          choice
              .target()
              .credentialOverride()
              .ifPresent(
                  o -> {
                    o.inputHeadersToRemove().forEach(names::add);
                    if (o.headerName() != null && !o.headerName().isEmpty()) {
                      names.add(o.headerName());
                      // an AWS override's name is the prefix of its three headers
                      if (choice.target().auth().orElse(null) instanceof BackendAuth.Aws) {
                        AWS_OVERRIDE_SUFFIXES.forEach(suffix -> names.add(o.headerName() + suffix));
                      }
                    }
                  });
        }
      }
    }
    return Set.copyOf(names);
  }

  /** The table of a loaded config. */
  public RoutingTable(List<Route> routes) {
    this(routes, true);
  }

  public static RoutingTable empty() {
    return EMPTY;
  }

  /**
   * The table of a server that has no config yet: its requests are not routed, and are answered 503
   * rather than 404, since the model may well be served a moment later.
   */
  public static RoutingTable notLoaded() {
    return NOT_LOADED;
  }

  /**
   * The model names the routes declare: the models they list, those their rules match exactly and
   * those their rules send instead.
   */
  public Set<String> declaredModels() {
    Set<String> names = new HashSet<>();
    for (Route route : routes) {
      route.models().forEach(model -> names.add(model.name()));
      for (RouteRule rule : route.rules()) {
        for (List<HeaderCondition> alternative : rule.matches()) {
          for (HeaderCondition condition : alternative) {
            if (condition.name().equals(route.modelHeader()) && condition.exact() != null) {
              names.add(condition.exact());
            }
          }
        }
        rule.backends().forEach(backend -> backend.modelNameOverride().ifPresent(names::add));
      }
    }
    return Set.copyOf(names);
  }

  /** The token budgets of the backends the routes send to, one per backend, by backend name. */
  public java.util.Map<String, QuotaPlan> quotaPlans() {
    java.util.Map<String, QuotaPlan> plans = new java.util.TreeMap<>();
    for (Route route : routes) {
      for (RouteRule rule : route.rules()) {
        for (BackendChoice choice : rule.backends()) {
          BackendTarget target = choice.target();
          target.quota().ifPresent(plan -> plans.putIfAbsent(target.metadataName(), plan));
        }
      }
    }
    return plans;
  }

  /**
   * Whether a backend authenticates to GCP with neither a token nor a key file: with the
   * Application Default Credentials, which are worth fetching before the first request. Not one
   * whose requests must each bring a token (an override that does not fall back).
   */
  public boolean usesGcpDefaultCredentials() {
    for (Route route : routes) {
      for (RouteRule rule : route.rules()) {
        for (BackendChoice choice : rule.backends()) {
          BackendTarget target = choice.target();
          if (target.auth().orElse(null) instanceof BackendAuth.Gcp gcp
              && gcp.accessToken() == null
              && gcp.credentialsFile() == null
              && target.credentialOverride().map(o -> o.fallbackToConfigured()).orElse(true)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The routes that may serve a request for {@code authority}, in the order they are tried. */
  public List<Route> routesFor(String authority) {
    String host = hostOf(authority);
    List<Route> scoped = new ArrayList<>();
    List<Route> unscoped = new ArrayList<>();
    for (Route route : routes) {
      if (route.hostnames().isEmpty()) {
        unscoped.add(route);
      } else if (route.servesHost(host)) {
        scoped.add(route);
      }
    }
    if (scoped.isEmpty()) {
      return unscoped;
    }
    scoped.addAll(unscoped);
    return scoped;
  }

  static String hostOf(String authority) {
    if (authority == null) {
      return "";
    }
    String host = authority;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end < 0 ? host : host.substring(0, end + 1);
    } else {
      int colon = host.lastIndexOf(':');
      host = colon < 0 ? host : host.substring(0, colon);
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
