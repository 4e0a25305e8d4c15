package io.aigw.extproc.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.HTTPRouteTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Envoy Gateway's translator makes of the HTTPRoutes aigw generates, as routes of the
 * bootstrap: one per rule that matches on the selected-backend header, in the order Envoy tries
 * them. The hostnames are left out, the bootstrap having one virtual host: in {@code aigw run} the
 * ExtProc has chosen the route by them before it names a backend.
 *
 * <ul>
 *   <li>A rule's timeout is its {@code backendRequest}, else its {@code request}, as Envoy Gateway
 *       sets the route's timeout.
 *   <li>A rule that also matches on the backend-rule header comes before the backend's first rule:
 *       Gateway API ranks a match with more header matches first, and Envoy takes the first route
 *       that matches.
 *   <li>Two rules with the same headers (one backend in two AIGatewayRoutes) keep the one of the
 *       first HTTPRoute given; Gateway API keeps the older route's, and the command gives the
 *       generated HTTPRoutes by namespace and name.
 * </ul>
 */
public final class EnvoyGatewayRoutes {

  private EnvoyGatewayRoutes() {}

  /** The routes of {@code httpRoutes}, which come oldest first (or by namespace and name). */
  public static List<BackendRoute> of(List<JsonNode> httpRoutes) {
    Map<Map<String, String>, BackendRoute> routes = new LinkedHashMap<>();
    for (JsonNode httpRoute : httpRoutes) {
      for (JsonNode rule : httpRoute.path("spec").path("rules")) {
        for (JsonNode match : rule.path("matches")) {
          backendRoute(match.path("headers"), rule.path("timeouts"))
              .ifPresent(route -> routes.putIfAbsent(route.headers(), route));
        }
      }
    }
    List<BackendRoute> ordered = new ArrayList<>(routes.values());
    // stable: a backend's further rule (two header matches) before its first, ties as given
    ordered.sort(Comparator.comparing((BackendRoute r) -> r.backendRule().isEmpty()));
    return List.copyOf(ordered);
  }

  private static Optional<BackendRoute> backendRoute(JsonNode headers, JsonNode timeouts) {
    String backend = null;
    String backendRule = null;
    for (JsonNode header : headers) {
      if (!"Exact".equals(header.path("type").asText("Exact"))) {
        return Optional.empty();
      }
      String name = header.path("name").asText();
      if (FilterConfig.SELECTED_BACKEND_HEADER_KEY.equalsIgnoreCase(name)) {
        backend = header.path("value").asText();
      } else if (FilterConfig.BACKEND_RULE_HEADER.equalsIgnoreCase(name)) {
        backendRule = header.path("value").asText();
      } else {
        return Optional.empty();
      }
    }
    if (backend == null) {
      return Optional.empty();
    }
    return Optional.of(
        new BackendRoute(backend, Optional.ofNullable(backendRule), timeout(timeouts)));
  }

  private static Optional<Duration> timeout(JsonNode timeouts) {
    for (String field : List.of("backendRequest", "request")) {
      JsonNode value = timeouts.path(field);
      if (value.isTextual()) {
        OptionalLong millis = HTTPRouteTimeouts.millis(value.asText());
        if (millis.isPresent()) {
          return Optional.of(Duration.ofMillis(millis.getAsLong()));
        }
      }
    }
    return Optional.empty();
  }
}
