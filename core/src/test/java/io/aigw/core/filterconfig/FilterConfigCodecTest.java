package io.aigw.core.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.CredentialFile.SecretKeyRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterConfigCodecTest {

  static FilterConfig sample() {
    var key =
        new CredentialFile(
            "/etc/backend_security_policy/bsp-openai/apiKey",
            new SecretKeyRef("default", "openai-key", "apiKey"));
    var aws =
        new CredentialFile(
            "/etc/backend_security_policy/bsp-aws/credentials",
            new SecretKeyRef("default", "aws-creds", "credentials"));
    var rule =
        new Rule(
            "rule/0",
            List.of(
                new Rule.Match(
                    List.of(new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, "gpt")))),
            List.of(
                new RuleBackend(
                    "openai.default",
                    1,
                    0,
                    null,
                    new HeaderMutation(List.of(new HeaderMutation.Header("x-a", "b")), List.of()),
                    new BodyMutation(List.of(), List.of("service_tier"))),
                new RuleBackend(
                    "aws.default", 3, 1, "us.meta.llama", null, null, "300s/30s", null)));
    return FilterConfig.of(
        "default",
        "chat",
        List.of("ai.example.com"),
        List.of(rule),
        List.of(
            new Backend(
                "openai.default",
                new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                new BackendAuth.ApiKey(key),
                new CredentialOverride(
                    "x-aigw-api-key", null, null, true, List.of("x-aigw-api-key"))),
            new Backend(
                "aws.default",
                new ApiSchema(ApiSchema.Name.AWSBedrock, null, null),
                new BackendAuth.Aws("us-east-1", aws, null),
                null)),
        List.of(
            new LlmRequestCost("in", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost("c", LlmRequestCost.Type.CEL, "input_tokens + output_tokens")),
        List.of(new Model("gpt", "openai", "2025-05-23T00:00:00Z")));
  }

  @Test
  void yamlRoundTripGivesTheSameConfig() {
    FilterConfig config = sample();
    String yaml = FilterConfigCodec.toYaml(config);
    assertThat(FilterConfigCodec.fromYaml(yaml)).isEqualTo(config);
    assertThat(FilterConfigCodec.toYaml(FilterConfigCodec.fromYaml(yaml))).isEqualTo(yaml);
    // the backend's first HTTPRoute rule is the default and is not written
    assertThat(yaml).containsOnlyOnce("backendRule: 300s/30s").containsOnlyOnce("backendRule");
  }

  @Test
  void jsonRoundTripGivesTheSameConfig() {
    FilterConfig config = sample();
    assertThat(FilterConfigCodec.fromJson(FilterConfigCodec.toJson(config))).isEqualTo(config);
  }

  @Test
  void authIsWrittenAsAnObjectNamedAfterItsVariant() {
    String yaml = FilterConfigCodec.toYaml(sample());
    assertThat(yaml)
        .contains(
            """
              - auth:
                  apiKey:
                    key:
                      path: /etc/backend_security_policy/bsp-openai/apiKey
                      secret:
                        key: apiKey
                        name: openai-key
                        namespace: default
            """)
        .contains("      aws:\n        credentialsFile:")
        .contains("version: aigw.filterconfig/v1");
  }

  @Test
  void defaultApiPathsAreLeftOutOfTheTextAndOthersRoundTrip() {
    assertThat(FilterConfigCodec.toYaml(sample())).doesNotContain("apiPaths");
    FilterConfig prefixed =
        sample().withApiPaths(ApiPaths.parse("/ai/", "anthropic:claude,openai:/openai"));
    String yaml = FilterConfigCodec.toYaml(prefixed);
    assertThat(yaml)
        .contains(
            "apiPaths:\n"
                + "  endpointPrefixes:\n"
                + "    anthropic: /claude\n"
                + "    cohere: /cohere\n"
                + "    openai: /openai\n"
                + "  rootPrefix: /ai\n");
    assertThat(FilterConfigCodec.fromYaml(yaml)).isEqualTo(prefixed);
    assertThat(
            FilterConfigCodec.fromYaml(yaml).apiPaths().pathOf(ApiFamily.ANTHROPIC, "/v1/messages"))
        .isEqualTo("/ai/claude/v1/messages");

    // a config that names the root alone keeps the families' defaults
    String rootOnly = FilterConfigCodec.toYaml(sample()) + "apiPaths:\n  rootPrefix: /gateway/\n";
    assertThat(FilterConfigCodec.fromYaml(rootOnly).apiPaths())
        .isEqualTo(ApiPaths.parse("/gateway", ""));
  }

  @Test
  void backendQuotasRoundTripAndABackendWithoutOneWritesNoKey() {
    assertThat(FilterConfigCodec.toYaml(sample())).doesNotContain("quota");
    BackendQuota quota =
        new BackendQuota(
            new BackendQuota.ServiceQuota("default/q", "total_tokens", 1_000_000, "1d"),
            List.of(
                new BackendQuota.ModelQuota(
                    "gpt-4o-mini",
                    "default/q",
                    "input_tokens + output_tokens * 6u",
                    new BackendQuota.ClientBucket(List.of(), 10_000, "1h", false),
                    List.of(
                        new BackendQuota.ClientBucket(
                            List.of(
                                new BackendQuota.HeaderSelector(
                                    "x-tenant",
                                    BackendQuota.HeaderSelector.Type.Distinct,
                                    null,
                                    false)),
                            5_000,
                            "1h",
                            true)))));
    FilterConfig base = sample();
    Backend first = base.backends().get(0);
    FilterConfig config =
        new FilterConfig(
            base.version(),
            base.routeNamespace(),
            base.routeName(),
            base.hostnames(),
            base.metadataNamespace(),
            base.modelNameHeaderKey(),
            base.selectedBackendHeaderKey(),
            base.rules(),
            List.of(
                new Backend(
                    first.name(), first.schema(), first.auth(), first.credentialOverride(), quota)),
            base.llmRequestCosts(),
            base.models(),
            base.apiPaths());
    String yaml = FilterConfigCodec.toYaml(config);
    assertThat(yaml)
        .contains("service:")
        .contains("cost: input_tokens + output_tokens * 6u")
        .contains("type: Distinct")
        .contains("shadow: true");
    assertThat(FilterConfigCodec.fromYaml(yaml)).isEqualTo(config);
  }

  @Test
  void rejectsAnotherVersion() {
    String yaml = FilterConfigCodec.toYaml(sample()).replace("aigw.filterconfig/v1", "v0.1.0");
    assertThatThrownBy(() -> FilterConfigCodec.fromYaml(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version v0.1.0 is not aigw.filterconfig/v1");
  }

  @Test
  void skipsFieldsAnotherReleaseWrites() {
    String yaml = FilterConfigCodec.toYaml(sample()) + "surprise: true\n";
    assertThat(FilterConfigCodec.fromYaml(yaml)).isEqualTo(sample());
  }

  @Test
  void readsAnAzureAuthBlockThatStillCarriesTheRemovedClientSecret() {
    FilterConfig config = withAzureBackend();
    // what a controller of the release before wrote: the client secret's file beside the token
    String yaml =
        FilterConfigCodec.toYaml(config)
            .replace(
                "      azure:\n",
                "      azure:\n"
                    + "        clientSecret:\n"
                    + "          path: /etc/backend_security_policy/bsp-azure/client-secret\n");
    assertThat(yaml).contains("clientSecret:");

    assertThat(FilterConfigCodec.fromYaml(yaml)).isEqualTo(config);
    String json =
        FilterConfigCodec.toJson(config)
            .replace("\"azure\":{", "\"azure\":{\"clientSecret\":{\"path\":\"/x\"},");
    assertThat(json).contains("clientSecret");
    assertThat(FilterConfigCodec.fromJson(json)).isEqualTo(config);
  }

  private static FilterConfig withAzureBackend() {
    FilterConfig sample = sample();
    var token =
        new CredentialFile(
            "/etc/backend_security_policy/bsp-azure/azureAccessToken",
            new SecretKeyRef("default", "ai-eg-bsp-azure", "azureAccessToken"));
    var azure =
        new Backend(
            "azure.default",
            new ApiSchema(ApiSchema.Name.AzureOpenAI, null, "2025-01-01-preview"),
            new BackendAuth.Azure("client-id", "tenant-id", token),
            null);
    return FilterConfig.of(
        sample.routeNamespace(),
        sample.routeName(),
        sample.hostnames(),
        sample.rules(),
        List.of(sample.backends().get(0), sample.backends().get(1), azure),
        sample.llmRequestCosts(),
        sample.models());
  }

  @Test
  void rejectsAMissingRequiredField() {
    String yaml = FilterConfigCodec.toYaml(sample()).replace("routeName: chat\n", "");
    assertThatThrownBy(() -> FilterConfigCodec.fromYaml(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routeName");
  }

  @Test
  void rejectsTextThatIsNotYaml() {
    assertThatThrownBy(() -> FilterConfigCodec.fromYaml("a: [b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilterConfigCodec.fromYaml("- a"))
        .hasMessageContaining("must be an object");
  }

  @Test
  void aConfigThatDoesNotBindIsRefusedNamingWhereAndWhatWithoutTheBindersAdvice() {
    String yaml = FilterConfigCodec.toYaml(sample());
    assertThat(problem(yaml.replaceFirst("weight:", "wieght:")))
        .isEqualTo("invalid filter config: rules[0].backends[0].weight is required");
    assertThat(problem(yaml.replaceFirst("weight: [0-9]+", "weight: heavy")))
        .isEqualTo(
            "invalid filter config: rules[0].backends[0].weight: 'heavy' is not a whole number");
    assertThat(problem(yaml.replaceFirst("rules:", "rules: {}\nunused:")))
        .isEqualTo("invalid filter config: rules must be a list");
    assertThat(problem(yaml.replaceFirst("\n( *)path: [^\n]*", "")))
        .matches("invalid filter config: backends\\[0\\]\\.auth\\..*\\.path is required");
  }

  private static String problem(String yaml) {
    try {
      FilterConfigCodec.fromYaml(yaml);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).doesNotContain("DeserializationFeature", "io.aigw", "`");
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }
}
