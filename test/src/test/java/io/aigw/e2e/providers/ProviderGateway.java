package io.aigw.e2e.providers;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.e2e.extproc.GatewayFixture;
import io.aigw.e2e.extproc.RecordedExchange;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end gateway of {@code io.aigw.e2e.extproc} (ExtProc serving a filter-config file,
 * credentials from files, the Envoy-like proxy in front) for provider tests: one route {@code
 * default/providers} with one rule and one backend per test.
 */
final class ProviderGateway implements AutoCloseable {

  static final String NAMESPACE = "default";
  static final String ROUTE = "providers";

  private final GatewayFixture fixture;

  private ProviderGateway(GatewayFixture fixture) {
    this.fixture = fixture;
  }

  /** Starts the gateway serving {@code config}, files (config, keys) under {@code dir}. */
  static ProviderGateway start(Path dir, FilterConfig config) throws IOException {
    return new ProviderGateway(new GatewayFixture(dir, config));
  }

  /** The Vert.x instance the gateway runs on, for fake providers. */
  Vertx vertx() {
    return fixture.vertx;
  }

  /** Sends backend {@code name} (Envoy's cluster) to a loopback port. */
  void route(String name, int port) {
    fixture.proxy.route(name, port);
  }

  /** {@code http://127.0.0.1:<port>} of the Envoy-like listener. */
  String origin() {
    String baseUrl = fixture.baseUrl();
    return baseUrl.substring(0, baseUrl.length() - "/v1".length());
  }

  /**
   * The official OpenAI SDK pointed at the gateway as an application would point it; no retries, so
   * a test sees every answer the gateway gave.
   */
  OpenAIClient openAiClient() {
    return OpenAIOkHttpClient.builder()
        .baseUrl(origin() + "/v1")
        .apiKey("sk-client")
        .maxRetries(0)
        .build();
  }

  /** The official Anthropic SDK pointed at the gateway's Messages API; no retries. */
  AnthropicClient anthropicClient() {
    return AnthropicOkHttpClient.builder()
        .baseUrl(origin() + "/anthropic")
        .apiKey("sk-ant-client")
        .maxRetries(0)
        .build();
  }

  /** The exchanges the Envoy-like proxy recorded, in order. */
  List<RecordedExchange> exchanges() {
    return fixture.proxy.exchanges();
  }

  @Override
  public void close() throws Exception {
    fixture.close();
  }

  /** A file credential: the mounted file and the Secret key behind it. */
  static CredentialFile credential(Path file, String backend, String key) {
    return new CredentialFile(
        file.toString(), new CredentialFile.SecretKeyRef(NAMESPACE, backend, key));
  }

  /**
   * One route: requests for {@code model} go to {@code backend} (named {@code <name>.default}),
   * sent as {@code override} when that is not null; input, output and total tokens are reported.
   */
  static FilterConfig route(
      String model, String name, ApiSchema schema, BackendAuth auth, String override) {
    String backend = name + "." + NAMESPACE;
    Rule rule =
        new Rule(
            "rule/0",
            List.of(
                new Rule.Match(
                    List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, model)))),
            List.of(new RuleBackend(backend, 1, 0, override, null, null)));
    return FilterConfig.of(
        NAMESPACE,
        ROUTE,
        List.of(),
        List.of(rule),
        List.of(new Backend(backend, schema, auth, null)),
        List.of(
            new LlmRequestCost("input_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost("output_token", LlmRequestCost.Type.OutputToken, null),
            new LlmRequestCost("total_token", LlmRequestCost.Type.TotalToken, null),
            new LlmRequestCost("cached_input_token", LlmRequestCost.Type.CachedInputToken, null)),
        List.of(new Model(model, name, "2025-01-01T00:00:00Z")));
  }

  /**
   * {@code config} with a rule more for each of {@code models}, sent as asked to the route's first
   * backend, for a route whose own model is overridden.
   */
  static FilterConfig alsoServing(FilterConfig config, String... models) {
    List<Rule> rules = new ArrayList<>(config.rules());
    String backend = config.backends().get(0).name();
    for (String model : models) {
      rules.add(
          new Rule(
              "rule/" + rules.size(),
              List.of(
                  new Rule.Match(
                      List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, model)))),
              List.of(new RuleBackend(backend, 1, 0, null, null, null))));
    }
    return FilterConfig.of(
        config.routeNamespace(),
        config.routeName(),
        config.hostnames(),
        rules,
        config.backends(),
        config.llmRequestCosts(),
        config.models());
  }
}
