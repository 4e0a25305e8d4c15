package io.aigw.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AiResourceReaderTest {

  static Path fixtures() {
    return Path.of(System.getProperty("aigw.root", "..")).resolve("../shared/fixtures/upstream");
  }

  static List<JsonNode> documents(Path file) throws Exception {
    return YamlDocuments.parse(Files.readString(file)).stream()
        .map(YamlDocuments.Document::node)
        .toList();
  }

  static List<JsonNode> yaml(String text) {
    try {
      return YamlDocuments.parse(text).stream().map(YamlDocuments.Document::node).toList();
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void v1alpha1AndV1beta1TranslateInputsNormaliseToIdenticalTrees() throws Exception {
    List<JsonNode> beta = documents(fixtures().resolve("translate/translate_basic.in.yaml"));
    List<JsonNode> alpha =
        documents(fixtures().resolve("translate/translate_basic_v1alpha1.in.yaml"));
    assertThat(alpha).hasSameSizeAs(beta);
    assertThat(alpha).isNotEqualTo(beta);
    List<JsonNode> normalisedAlpha = alpha.stream().map(AiResourceReader::normalizedTree).toList();
    List<JsonNode> normalisedBeta = beta.stream().map(AiResourceReader::normalizedTree).toList();
    assertThat(normalisedAlpha).isEqualTo(normalisedBeta);
    assertThat(alpha.stream().map(AiResourceReader::read).toList())
        .isEqualTo(beta.stream().map(AiResourceReader::read).toList());
  }

  @Test
  void everyAiGatewayObjectInTheUpstreamFixturesReads() throws Exception {
    int read = 0;
    for (Path file : fixtureFiles()) {
      for (JsonNode node : documents(file)) {
        Optional<AiResource> resource = AiResourceReader.read(node);
        assertThat(resource.isPresent())
            .as(file + " " + node.path("kind"))
            .isEqualTo(AiResourceReader.aiKind(node).isPresent());
        if (resource.isPresent()) {
          read++;
          assertThat(resource.get().apiVersion()).isEqualTo(AiResource.V1BETA1);
          assertThat(resource.get().metadata().namespace()).isNotEmpty();
        }
      }
    }
    assertThat(read).isGreaterThan(40);
  }

  static List<Path> fixtureFiles() throws IOException {
    try (var walk = Files.walk(fixtures().resolve("examples"))) {
      List<Path> examples = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      try (var translate = Files.list(fixtures().resolve("translate"))) {
        return java.util.stream.Stream.concat(
                examples.stream(), translate.filter(p -> p.toString().endsWith(".yaml")).sorted())
            .toList();
      }
    }
  }

  @Test
  void otherKindsAreNotReadAndTheirTreesPassUnchanged() {
    for (JsonNode node :
        yaml(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            ---
            apiVersion: aigateway.envoyproxy.io/v1beta1
            kind: MCPRoute
            metadata: {name: m}
            ---
            apiVersion: aigateway.envoyproxy.io/v2
            kind: QuotaPolicy
            metadata: {name: q}
            ---
            apiVersion: aigateway.envoyproxy.io/v2
            kind: AIGatewayRoute
            metadata: {name: r}
            """)) {
      assertThat(AiResourceReader.read(node)).isEmpty();
      assertThat(AiResourceReader.normalizedTree(node)).isSameAs(node);
    }
    assertThat(AiResourceReader.read(null)).isEmpty();
  }

  @Test
  void routeDefaultsAreThoseTheApiServerApplies() {
    JsonNode raw =
        yaml("""
                apiVersion: aigateway.envoyproxy.io/v1alpha1
                kind: AIGatewayRoute
                metadata: {name: r}
                spec:
                  parentRefs: [{name: gw}]
                  rules:
                  - matches: [{headers: [{name: x-ai-eg-model, value: m}]}]
                    backendRefs: [{name: b}, {name: c, weight: 0, priority: 2}]
                """)
            .get(0);
    AIGatewayRoute route = (AIGatewayRoute) AiResourceReader.read(raw).orElseThrow();
    assertThat(route.apiVersion()).isEqualTo("aigateway.envoyproxy.io/v1beta1");
    assertThat(route.metadata().namespace()).isEqualTo("default");
    assertThat(route.spec().parentRefs())
        .containsExactly(
            new ParentReference("gateway.networking.k8s.io", "Gateway", null, "gw", null, null));
    assertThat(route.spec().hostnames()).isEmpty();
    assertThat(route.spec().llmRequestCosts()).isEmpty();
    AIGatewayRouteRule rule = route.spec().rules().get(0);
    assertThat(rule.modelsOwnedBy()).isEqualTo("Envoy AI Gateway");
    assertThat(rule.matches().get(0).headers().get(0).type()).isEqualTo("Exact");
    assertThat(rule.backendRefs().get(0).weight()).isEqualTo(1);
    assertThat(rule.backendRefs().get(0).priority()).isZero();
    assertThat(rule.backendRefs().get(1).weight()).isZero();
    assertThat(rule.backendRefs().get(1).priority()).isEqualTo(2);
    assertThat(raw.path("apiVersion").asText()).endsWith("v1alpha1");
  }

  @Test
  void backendAndPolicyDefaultsAreThoseTheApiServerApplies() {
    List<JsonNode> raw =
        yaml(
            """
            apiVersion: aigateway.envoyproxy.io/v1beta1
            kind: AIServiceBackend
            metadata: {name: b, namespace: ns}
            spec:
              schema: {name: OpenAI}
              backendRef: {name: be}
            ---
            apiVersion: aigateway.envoyproxy.io/v1beta1
            kind: BackendSecurityPolicy
            metadata: {name: p}
            spec:
              type: AWSCredentials
              awsCredentials:
                region: us-east-1
                credentialsFile: {secretRef: {name: f}}
                oidcExchangeToken:
                  awsRoleArn: arn
                  oidc: {provider: {issuer: i}, clientID: c, clientSecret: {name: s}}
              credentialOverride:
                fromRequestHeaders: {}
            """);
    AIServiceBackend backend = (AIServiceBackend) AiResourceReader.read(raw.get(0)).orElseThrow();
    assertThat(backend.metadata().namespace()).isEqualTo("ns");
    assertThat(backend.spec().backendRef())
        .isEqualTo(new BackendObjectReference("", "Service", "be", null, null));
    BackendSecurityPolicy policy =
        (BackendSecurityPolicy) AiResourceReader.read(raw.get(1)).orElseThrow();
    BackendSecurityPolicyAWSCredentials aws = policy.spec().awsCredentials();
    assertThat(aws.credentialsFile())
        .isEqualTo(
            new AWSCredentialsFile(new SecretObjectReference("", "Secret", "f", null), "default"));
    assertThat(aws.oidcExchangeToken().oidc().clientSecret())
        .isEqualTo(new SecretObjectReference("", "Secret", "s", null));
    assertThat(policy.spec().credentialOverride().fromRequestHeaders())
        .isEqualTo(new CredentialOverrideFromRequestHeaders(null, true));
    assertThat(policy.spec().targetRefs()).isEmpty();
  }

  @Test
  void aGatewayConfigOfEitherVersionReadsAsTheSameRecord() {
    List<JsonNode> raw =
        yaml(
            """
            apiVersion: aigateway.envoyproxy.io/v1alpha1
            kind: GatewayConfig
            metadata: {name: g}
            spec:
              extProc:
                kubernetes:
                  env:
                  - {name: A, value: "1"}
                  - name: B
                    valueFrom: {secretKeyRef: {name: s, key: k}}
                  resources: {limits: {cpu: 1, memory: 1Gi}}
                  securityContext: {runAsUser: 1000}
                  imageRepository: registry.example.com/aigw
              globalLLMRequestCosts: [{metadataKey: total, type: TotalToken}]
              forwardProxy: {address: "proxy:3128"}
            """);
    GatewayConfig config = (GatewayConfig) AiResourceReader.read(raw.get(0)).orElseThrow();
    assertThat(config.apiVersion()).isEqualTo(AiResource.V1BETA1);
    assertThat(config.metadata().namespace()).isEqualTo("default");
    ContainerSpec container = config.spec().extProc().kubernetes();
    assertThat(container.env())
        .extracting(ContainerSpec.ContainerEnvVar::name)
        .containsExactly("A", "B");
    assertThat(container.env().get(1).valueFrom().path("secretKeyRef").path("key").asText())
        .isEqualTo("k");
    // a quantity written as a YAML number reads as its text
    assertThat(container.resources().limits().get("cpu").asText()).isEqualTo("1");
    assertThat(container.securityContext().path("runAsUser").asInt()).isEqualTo(1000);
    assertThat(container.imageRepository()).isEqualTo("registry.example.com/aigw");
    assertThat(config.spec().globalLLMRequestCosts())
        .containsExactly(new LLMRequestCost("total", "TotalToken", null));
    assertThat(config.spec().forwardProxy().address()).isEqualTo("proxy:3128");
    ((ObjectNode) raw.get(0)).put("apiVersion", AiResource.V1BETA1);
    assertThat(AiResourceReader.read(raw.get(0))).contains(config);
  }

  @Test
  void aQuotaPolicyReadsInItsV1alpha1FormWithTheCrdDefaults() {
    JsonNode raw =
        yaml("""
                apiVersion: aigateway.envoyproxy.io/v1alpha1
                kind: QuotaPolicy
                metadata: {name: q}
                spec:
                  targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: b}]
                  serviceQuota:
                    quota: {limit: 1000, duration: 1h}
                  perModelQuotas:
                  - modelName: gpt-4o
                    quota:
                      costExpression: "input_tokens + output_tokens"
                      defaultBucket: {limit: 100, duration: 1m}
                      bucketRules:
                      - clientSelectors:
                        - headers: [{name: x-tenant, value: a}, {name: x-user, type: Distinct}]
                          methods: [{value: POST}]
                          path: {value: /v1}
                          sourceCIDR: {value: 10.0.0.0/8}
                        quota: {limit: 10, duration: 1s}
                      - quota: {limit: 5, duration: 1d}
                        shadowMode: true
                """)
            .get(0);
    QuotaPolicy policy = (QuotaPolicy) AiResourceReader.read(raw).orElseThrow();
    assertThat(policy.apiVersion()).isEqualTo(QuotaPolicy.API_VERSION);
    assertThat(policy.kind()).isEqualTo(AiResourceReader.KIND_QUOTA_POLICY);
    assertThat(policy.metadata().namespace()).isEqualTo("default");
    QuotaPolicySpec spec = policy.spec();
    assertThat(spec.targetRefs())
        .containsExactly(
            new LocalPolicyTargetReference("aigateway.envoyproxy.io", "AIServiceBackend", "b"));
    assertThat(spec.serviceQuota().costOrDefault()).isEqualTo("total_tokens");
    assertThat(spec.serviceQuota().quota()).isEqualTo(new QuotaPolicySpec.QuotaValue(1000, "1h"));
    QuotaPolicySpec.QuotaDefinition quota = spec.perModelQuotas().get(0).quota();
    assertThat(spec.perModelQuotas().get(0).modelName()).isEqualTo("gpt-4o");
    assertThat(quota.mode()).isEqualTo("Shared");
    assertThat(quota.costOrDefault()).isEqualTo("input_tokens + output_tokens");
    assertThat(quota.defaultBucket()).isEqualTo(new QuotaPolicySpec.QuotaValue(100, "1m"));
    QuotaPolicySpec.BucketRule selected = quota.bucketRules().get(0);
    assertThat(selected.shadowMode()).isFalse();
    QuotaPolicySpec.ClientSelector selector = selected.clientSelectors().get(0);
    assertThat(selector.headers())
        .containsExactly(
            new QuotaPolicySpec.HeaderSelector("x-tenant", "Exact", "a", false),
            new QuotaPolicySpec.HeaderSelector("x-user", "Distinct", null, false));
    assertThat(selector.notApplied()).containsExactly("methods", "path", "sourceCIDR");
    assertThat(selector.path().path("type").asText()).isEqualTo("PathPrefix");
    assertThat(selector.methods().path(0).path("invert").asBoolean(true)).isFalse();
    assertThat(selector.sourceCIDR().path("type").asText()).isEqualTo("Exact");
    assertThat(quota.bucketRules().get(1).clientSelectors()).isEmpty();
    assertThat(quota.bucketRules().get(1).shadowMode()).isTrue();
    // the tree is the API server's: its defaults only, and the version as served
    JsonNode tree = AiResourceReader.normalizedTree(raw);
    assertThat(tree.path("apiVersion").asText()).isEqualTo("aigateway.envoyproxy.io/v1alpha1");
    assertThat(tree.at("/spec/perModelQuotas/0/quota/mode").asText()).isEqualTo("Shared");
    assertThat(tree.at("/spec/perModelQuotas/0/quota/bucketRules/1").has("shadowMode")).isTrue();
    assertThat(tree.at("/spec/perModelQuotas/0/quota/bucketRules/0").has("shadowMode")).isFalse();
    assertThat(tree.at("/spec/serviceQuota").has("costExpression")).isFalse();
  }

  @Test
  void aQuotaPolicyOfV1beta1IsNormalisedButRefused() {
    JsonNode raw =
        yaml("""
                apiVersion: aigateway.envoyproxy.io/v1beta1
                kind: QuotaPolicy
                metadata: {name: q}
                spec: {}
                """)
            .get(0);
    assertThat(AiResourceReader.aiKind(raw)).contains("QuotaPolicy");
    AiResourceReader.Normalized normalized = AiResourceReader.normalize(raw).orElseThrow();
    assertThat(normalized.v1alpha1()).isFalse();
    assertThat(normalized.tree().path("apiVersion").asText())
        .isEqualTo("aigateway.envoyproxy.io/v1beta1");
    assertThatThrownBy(() -> AiResourceReader.read(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "QuotaPolicy q: apiVersion aigateway.envoyproxy.io/v1beta1: QuotaPolicy is served only"
                + " as aigateway.envoyproxy.io/v1alpha1");
  }

  @Test
  void quotaRecordsBuiltByHandCarryTheDefaultsToo() {
    QuotaPolicySpec.QuotaDefinition definition =
        new QuotaPolicySpec.QuotaDefinition(null, null, null, null);
    assertThat(definition.mode()).isEqualTo(QuotaPolicy.MODE_SHARED);
    assertThat(definition.bucketRules()).isEmpty();
    assertThat(definition.costOrDefault()).isEqualTo(QuotaPolicy.DEFAULT_COST_EXPRESSION);
    assertThat(new QuotaPolicySpec.ServiceQuota("output_tokens", null).costOrDefault())
        .isEqualTo("output_tokens");
    assertThat(new QuotaPolicySpec.BucketRule(null, null, null).shadowMode()).isFalse();
    assertThat(new QuotaPolicySpec.HeaderSelector("h", null, "v", null))
        .isEqualTo(new QuotaPolicySpec.HeaderSelector("h", "Exact", "v", false));
    assertThat(new QuotaPolicySpec.ClientSelector(null, null, null, null).notApplied()).isEmpty();
    QuotaPolicy empty = new QuotaPolicy(QuotaPolicy.API_VERSION, "QuotaPolicy", null, null);
    assertThat(empty.spec().targetRefs()).isEmpty();
    assertThat(empty.spec().perModelQuotas()).isEmpty();
    assertThat(empty.spec().serviceQuota()).isNull();
  }

  @Test
  void aTreeOfTheWrongShapeIsReportedNotHalfRead() {
    JsonNode raw =
        yaml("""
                apiVersion: aigateway.envoyproxy.io/v1beta1
                kind: AIGatewayRoute
                metadata: {name: r}
                spec: {rules: {oops: 1}, parentRefs: 7}
                """)
            .get(0);
    assertThat(AiResourceReader.normalizedTree(raw).path("metadata").path("namespace").asText())
        .isEqualTo("default");
    assertThatThrownBy(() -> AiResourceReader.read(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("AIGatewayRoute r: ");
  }
}
