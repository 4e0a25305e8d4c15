package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

  private static FilterConfig route(String ns, String name, List<String> hosts, Rule... rules) {
    return FilterConfig.of(
        ns,
        name,
        hosts,
        List.of(rules),
        List.of(Exchanges.openAi("openai.default", null)),
        List.of(),
        List.of());
  }

  private static Rule rule(String name, Rule.MatchType type, String value) {
    return new Rule(
        name,
        List.of(new Rule.Match(List.of(new Rule.HeaderMatch("x-ai-eg-model", type, value)))),
        List.of(Exchanges.ref("openai.default", 1, 0)));
  }

  @Test
  void hostnameRoutesComeFirstThenUnscopedRoutesEachInNamespaceNameOrder() {
    RoutingTable table =
        FilterConfigAdapter.toRoutingTable(
                List.of(
                    route("b", "any", List.of()),
                    route("a", "any", List.of()),
                    route("z", "host", List.of("*.example.com")),
                    route("y", "other", List.of("other.org"))))
            .table();
    assertThat(table.routesFor("api.example.com:10000").stream().map(Route::ref))
        .containsExactly("z/host", "a/any", "b/any");
    assertThat(table.routesFor("example.com").stream().map(Route::ref))
        .containsExactly("a/any", "b/any");
    assertThat(table.routesFor("OTHER.org").stream().map(Route::ref))
        .containsExactly("y/other", "a/any", "b/any");
  }

  @Test
  void theFirstMatchingRuleInOrderWinsAndRegexMatchesTheWholeValue() {
    Route route =
        FilterConfigAdapter.toRoute(
            route(
                "d",
                "r",
                List.of(),
                rule("exact", Rule.MatchType.Exact, "gpt-4o"),
                rule("family", Rule.MatchType.RegularExpression, "gpt-4o.*"),
                rule("none", Rule.MatchType.RegularExpression, "4o")));
    assertThat(route.firstMatch(Map.of("x-ai-eg-model", "gpt-4o")::get).orElseThrow().name())
        .isEqualTo("exact");
    assertThat(route.firstMatch(Map.of("x-ai-eg-model", "gpt-4o-mini")::get).orElseThrow().name())
        .isEqualTo("family");
    assertThat(route.firstMatch(Map.of("x-ai-eg-model", "o4")::get)).isEmpty();
    assertThat(route.firstMatch(Map.<String, String>of()::get)).isEmpty();
  }

  @Test
  void aMatchNeedsAllItsHeadersAndARuleAnyOfItsMatches() {
    Rule rule =
        new Rule(
            "r",
            List.of(
                new Rule.Match(
                    List.of(
                        new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, "m"),
                        new Rule.HeaderMatch("X-Tenant", Rule.MatchType.Exact, "a"))),
                new Rule.Match(List.of(new Rule.HeaderMatch("x-vip", Rule.MatchType.Exact, "1")))),
            List.of(Exchanges.ref("openai.default", 1, 0)));
    Route route = FilterConfigAdapter.toRoute(route("d", "r", List.of(), rule));
    assertThat(route.firstMatch(Map.of("x-ai-eg-model", "m", "x-tenant", "a")::get)).isPresent();
    assertThat(route.firstMatch(Map.of("x-ai-eg-model", "m")::get)).isEmpty();
    assertThat(route.firstMatch(Map.of("x-vip", "1")::get)).isPresent();
  }

  @Test
  void routesThatDoNotCompileAreLeftOutAndNamed() {
    FilterConfig badRegex =
        route("d", "regex", List.of(), rule("r", Rule.MatchType.RegularExpression, "(["));
    FilterConfig badCel =
        FilterConfig.of(
            "d",
            "cel",
            List.of(),
            List.of(),
            List.of(),
            List.of(new LlmRequestCost("c", LlmRequestCost.Type.CEL, "input_tokens * 3")),
            List.of());
    FilterConfig unknownBackend =
        FilterConfig.of(
            "d",
            "ref",
            List.of(),
            List.of(rule("r", Rule.MatchType.Exact, "m")),
            List.of(),
            List.of(),
            List.of());
    FilterConfigAdapter.Result result =
        FilterConfigAdapter.toRoutingTable(
            List.of(badRegex, badCel, unknownBackend, Exchanges.chatRoute()));
    assertThat(result.table().routes()).extracting(Route::ref).containsExactly("default/chat");
    assertThat(result.problems()).hasSize(3);
    assertThat(result.problems().get(0))
        .startsWith("d/regex: ")
        .contains("invalid regular expression");
    assertThat(result.problems().get(1))
        .startsWith("d/cel: cost c: CEL cost expression does not compile");
    assertThat(result.problems().get(2)).contains("not configured");
  }

  @Test
  void theDeclaredModelsAreTheListedOnesAndTheOverridesTheRulesSend() {
    Rule aliased =
        Exchanges.modelRule(
            "alias",
            "alias-model",
            new RuleBackend("openai.default", 1, 0, "overridden-model", null, null));
    RoutingTable table =
        FilterConfigAdapter.toRoutingTable(
                List.of(
                    route("a", "r", List.of(), aliased, rule("m", Rule.MatchType.Exact, "gpt-4o"))))
            .table();

    assertThat(table.declaredModels())
        .containsExactlyInAnyOrder("alias-model", "gpt-4o", "overridden-model");
  }

  @Test
  void gcpsApplicationDefaultCredentialsAreNeededOnlyByABackendWithNoCredentialToFallBackOn() {
    BackendAuth.Gcp adc = new BackendAuth.Gcp("p", "us-central1", null, null);
    java.util.function.Function<io.aigw.core.filterconfig.Backend, Boolean> needs =
        backend ->
            FilterConfigAdapter.toRoutingTable(
                    List.of(
                        FilterConfig.of(
                            "default",
                            "chat",
                            List.of(),
                            List.of(
                                Exchanges.modelRule("r", "m", Exchanges.ref(backend.name(), 1, 0))),
                            List.of(backend),
                            List.of(),
                            List.of())))
                .table()
                .usesGcpDefaultCredentials();
    ApiSchema vertex = new ApiSchema(ApiSchema.Name.GCPVertexAI, null, null);
    assertThat(needs.apply(new io.aigw.core.filterconfig.Backend("v.default", vertex, adc, null)))
        .isTrue();
    assertThat(
            needs.apply(
                new io.aigw.core.filterconfig.Backend(
                    "v.default",
                    vertex,
                    new BackendAuth.Gcp("p", "us-central1", null, Exchanges.key("/t")),
                    null)))
        .isFalse();
    // every request brings its own token: the pod's identity is never used
    assertThat(
            needs.apply(
                new io.aigw.core.filterconfig.Backend(
                    "v.default",
                    vertex,
                    adc,
                    new io.aigw.core.filterconfig.CredentialOverride(
                        "x-aigw-gcp-access-token", null, null, false, List.of()))))
        .isFalse();
  }
}
