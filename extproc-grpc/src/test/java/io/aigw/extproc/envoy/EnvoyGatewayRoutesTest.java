package io.aigw.extproc.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvoyGatewayRoutesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A generated HTTPRoute's rules, as the projection writes them. */
  private static JsonNode httpRoute(String rules) throws Exception {
    return YAML.readTree(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nspec:\n  rules:\n" + rules);
  }

  private static String rule(String backend, String backendRule, String timeouts) {
    String headers =
        "      - path: {type: RegularExpression, value: /.*}\n"
            + "        headers:\n"
            + "        - {type: Exact, name: x-ai-eg-selected-backend, value: "
            + backend
            + "}\n"
            + (backendRule == null
                ? ""
                : "        - {type: Exact, name: x-aigw-backend-rule, value: '"
                    + backendRule
                    + "'}\n");
    return "  - matches:\n" + headers + "    timeouts: " + timeouts + "\n";
  }

  private static final String NOT_FOUND =
      "  - name: route-not-found\n"
          + "    matches:\n"
          + "      - path: {type: PathPrefix, value: /}\n"
          + "      - path: {type: RegularExpression, value: /.*}\n"
          + "        headers:\n"
          + "        - {type: RegularExpression, name: x-ai-eg-selected-backend, value: .+}\n";

  @Test
  void aRuleWithMoreHeaderMatchesIsTriedFirstAndTheBackendRequestTimeoutWins() throws Exception {
    JsonNode route =
        httpRoute(
            rule("openai.default", null, "{request: 60s}")
                + rule("local.default", null, "{request: 1m}")
                + rule("openai.default", "2m/30s", "{request: 2m, backendRequest: 30s}")
                + NOT_FOUND);

    assertThat(EnvoyGatewayRoutes.of(List.of(route)))
        .containsExactly(
            new BackendRoute(
                "openai.default", Optional.of("2m/30s"), Optional.of(Duration.ofSeconds(30))),
            BackendRoute.first("openai.default", Duration.ofSeconds(60)),
            BackendRoute.first("local.default", Duration.ofSeconds(60)));
  }

  @Test
  void aBackendInTwoRoutesKeepsTheFirstRoutesRuleAndOneWithoutTimeoutsHasEnvoysDefault()
      throws Exception {
    JsonNode first = httpRoute(rule("openai.default", null, "{}"));
    JsonNode second = httpRoute(rule("openai.default", null, "{request: 5s}"));

    assertThat(EnvoyGatewayRoutes.of(List.of(first, second)))
        .containsExactly(new BackendRoute("openai.default", Optional.empty(), Optional.empty()));
  }
}
