package io.aigw.projections.gateway;

import static io.aigw.projections.gateway.GatewayProjectionTest.BACKEND;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE_KEY;
import static io.aigw.projections.gateway.GatewayProjectionTest.desiredKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.FilterConfigCodec;
import io.aigw.core.model.gateway.Names;
import io.aigw.projections.desired.ExtProcSettings;
import org.junit.jupiter.api.Test;

/**
 * The controller's root and endpoint prefixes reach each route's ExtProc through its filter config,
 * and the HTTPRoute's catch-all rule takes only the paths under the root.
 */
class ApiPathsFoldTest {

  static GatewayState fold(ApiPaths paths) {
    var projection = new GatewayProjection(ExtProcSettings.DEFAULT.withApiPaths(paths));
    return projection.applyAll(
        projection.initial(), new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).entries());
  }

  static JsonNode httpRoute(GatewayState state) {
    return state
        .desired()
        .get(desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "chat"))
        .object();
  }

  @Test
  void theRoutesConfigCarriesThePathsAndItsCatchAllRuleMatchesTheRootOnly() {
    ApiPaths paths = ApiPaths.parse("/ai", "anthropic:/claude");
    GatewayState state = fold(paths);

    assertThat(state.filterConfigs().get(ROUTE_KEY).apiPaths()).isEqualTo(paths);
    JsonNode rules = httpRoute(state).path("spec").path("rules");
    JsonNode notFound = rules.get(rules.size() - 1);
    assertThat(notFound.path("name").asText()).isEqualTo(Names.ROUTE_NOT_FOUND_RULE);
    assertThat(notFound.at("/matches/0/path").toString())
        .isEqualTo("{\"type\":\"PathPrefix\",\"value\":\"/ai\"}");
    // a request routed to a backend without a rule here is answered 404 too, on any path
    assertThat(notFound.at("/matches/1").toString())
        .isEqualTo(
            "{\"headers\":[{\"name\":\"x-ai-eg-selected-backend\",\"type\":\"RegularExpression\","
                + "\"value\":\".+\"}],\"path\":{\"type\":\"RegularExpression\",\"value\":\"/.*\"}}");
    // Envoy matches the backends' rules again on the path the ExtProc sent the request to, outside
    // the root: any path, by a match Envoy Gateway ranks above every other route's prefix
    for (int i = 0; i < rules.size() - 1; i++) {
      assertThat(rules.get(i).at("/matches/0/path").toString())
          .isEqualTo("{\"type\":\"RegularExpression\",\"value\":\"/.*\"}");
    }
  }

  @Test
  void theDefaultPathsLeaveTheConfigTextAsItWasAndTheCatchAllAtTheRoot() {
    GatewayState state = fold(ApiPaths.DEFAULT);
    assertThat(FilterConfigCodec.toYaml(state.filterConfigs().get(ROUTE_KEY)))
        .doesNotContain("apiPaths");
    JsonNode rules = httpRoute(state).path("spec").path("rules");
    assertThat(rules.get(rules.size() - 1).at("/matches/0/path/value").asText()).isEqualTo("/");

    GatewayState prefixed = fold(ApiPaths.parse("/ai", ""));
    // the Deployment's config hash follows the config, so the ExtProcs restart on the new paths
    assertThat(configHash(prefixed)).isNotEqualTo(configHash(state));
  }

  private static String configHash(GatewayState state) {
    return state
        .desired()
        .get(desiredKey("apps/v1", "Deployment", "ai-eg-route-extproc-chat"))
        .object()
        .at("/spec/template/metadata/annotations")
        .path(Names.CONFIG_HASH_ANNOTATION)
        .asText();
  }
}
