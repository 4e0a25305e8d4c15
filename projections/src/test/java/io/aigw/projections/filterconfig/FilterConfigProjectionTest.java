package io.aigw.projections.filterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.BodyMutation;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.HeaderMutation;
import io.aigw.core.filterconfig.Model;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.core.model.AIGatewayRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterConfigProjectionTest {

  final FilterConfigProjection projection = new FilterConfigProjection();

  static String backend(String name, String schema) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: %s, namespace: default}
        spec:
          schema: %s
          backendRef: {name: %s, kind: Backend, group: gateway.envoyproxy.io}
        """
        .formatted(name, schema, name);
  }

  static String policy(String name, String target, String body) {
    return """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: BackendSecurityPolicy
        metadata: {name: %s, namespace: default}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: %s}]
        %s
        """
        .formatted(name, target, body.indent(2).stripTrailing());
  }

  static Versioned<AIGatewayRoute> route(String spec) {
    String yaml =
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default, creationTimestamp: "2025-02-03T04:05:06Z"}
        spec:
        %s
        """
            .formatted(spec.indent(2).stripTrailing());
    return FakeReferences.read(yaml, AIGatewayRoute.class, 1);
  }

  RouteResolution resolve(String spec, FakeReferences references) {
    return projection.resolve(route(spec), references);
  }

  @Test
  void rulesKeepTheirOrderMatchesAndBackendsWithWeightsPrioritiesAndOverrides() {
    var refs =
        new FakeReferences()
            .backend(backend("a", "{name: OpenAI}"))
            .backend(backend("b", "{name: AWSBedrock}"));
    RouteResolution resolution =
        resolve(
            """
            hostnames: [ai.example.com]
            rules:
              - name: first
                matches:
                  - headers: [{name: X-AI-EG-Model, value: gpt}, {name: x-team, type: RegularExpression, value: "a.*"}]
                  - headers: [{name: x-ai-eg-model, value: gpt-mini}]
                backendRefs: [{name: a, weight: 3}, {name: b, priority: 1, modelNameOverride: llama}]
              - backendRefs: [{name: b}]
            """,
            refs);
    FilterConfig config = resolution.config();
    assertThat(resolution.problems()).isEmpty();
    assertThat(config.version()).isEqualTo("aigw.filterconfig/v1");
    assertThat(config.routeRef()).isEqualTo("default/chat");
    assertThat(config.hostnames()).containsExactly("ai.example.com");
    assertThat(config.rules()).extracting(Rule::name).containsExactly("first", "rule/1");
    assertThat(config.rules().get(0).matches().get(0).headers())
        .containsExactly(
            new Rule.HeaderMatch("x-ai-eg-model", Rule.MatchType.Exact, "gpt"),
            new Rule.HeaderMatch("x-team", Rule.MatchType.RegularExpression, "a.*"));
    assertThat(config.rules().get(0).backends())
        .containsExactly(
            new RuleBackend(
                "a.default", 3, 0, null, null, null, null, "default/a/route/chat/rule/0/ref/0"),
            new RuleBackend(
                "b.default", 1, 1, "llama", null, null, null, "default/b/route/chat/rule/0/ref/1"));
    assertThat(config.rules().get(1).matches()).isEmpty();
    assertThat(config.backends())
        .extracting(b -> b.name())
        .containsExactly("a.default", "b.default");
    assertThat(resolution.backends()).extracting(b -> b.key().name()).containsExactly("a", "b");
    assertThat(config.models())
        .containsExactly(
            new Model("gpt", "Envoy AI Gateway", "2025-02-03T04:05:06Z"),
            new Model("gpt-mini", "Envoy AI Gateway", "2025-02-03T04:05:06Z"));
  }

  @Test
  void candidatesAreNamedByTheRoutesOwnIndicesWhateverWasLeftOutBeforeThem() {
    var refs = new FakeReferences().backend(backend("a", "{name: OpenAI}"));
    RouteResolution resolution =
        resolve(
            """
            rules:
              - matches: [{headers: [{name: x-team, type: RegularExpression, value: "(unclosed"}]}]
                backendRefs: [{name: a}]
              - backendRefs: [{name: missing}, {name: a}]
            """,
            refs);
    assertThat(resolution.problems()).hasSize(2);
    assertThat(resolution.config().rules()).hasSize(1);
    // upstream's name, which cost expressions and logs key on: rule 1, ref 1 of the route
    assertThat(resolution.config().rules().get(0).backends())
        .extracting(RuleBackend::name)
        .containsExactly("default/a/route/chat/rule/1/ref/1");
  }

  @Test
  void schemasGetAPrefixForOpenAiAndAnthropicAndAVersionOtherwise() {
    assertThat(
            FilterConfigProjection.schema(
                new io.aigw.core.model.VersionedAPISchema("OpenAI", "x", null)))
        .isEqualTo(new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"));
    assertThat(
            FilterConfigProjection.schema(
                new io.aigw.core.model.VersionedAPISchema("Anthropic", null, "v2")))
        .isEqualTo(new ApiSchema(ApiSchema.Name.Anthropic, null, "v2"));
    assertThat(
            FilterConfigProjection.schema(
                new io.aigw.core.model.VersionedAPISchema("AzureOpenAI", "2024-10-21", "p")))
        .isEqualTo(new ApiSchema(ApiSchema.Name.AzureOpenAI, "2024-10-21", null));
    assertThat(
            FilterConfigProjection.schema(
                new io.aigw.core.model.VersionedAPISchema("AWSBedrock", "", null)))
        .isEqualTo(new ApiSchema(ApiSchema.Name.AWSBedrock, null, null));
  }

  @Test
  void routeLevelMutationsWinOverBackendLevelOnes() {
    String backend =
        backend("a", "{name: OpenAI}")
            + """
              headerMutation:
                set: [{name: X-Team, value: backend}, {name: x-keep, value: k}, {name: x-gone, value: g}]
                remove: [x-secret, x-route-sets]
              bodyMutation:
                set: [{path: temperature, value: "0.1"}, {path: top_p, value: "1"}]
                remove: [user, seed]
            """;
    var refs = new FakeReferences().backend(backend);
    RuleBackend ref =
        resolve(
                """
                rules:
                  - backendRefs:
                      - name: a
                        headerMutation:
                          set: [{name: x-team, value: route}, {name: x-route-sets, value: r}]
                          remove: [x-gone]
                        bodyMutation:
                          set: [{path: temperature, value: "0.7"}, {path: seed, value: "1"}]
                          remove: [top_p]
                """,
                refs)
            .config()
            .rules()
            .get(0)
            .backends()
            .get(0);
    assertThat(ref.headerMutation())
        .isEqualTo(
            new HeaderMutation(
                List.of(
                    new HeaderMutation.Header("x-team", "route"),
                    new HeaderMutation.Header("x-route-sets", "r"),
                    new HeaderMutation.Header("x-keep", "k")),
                List.of("x-gone", "x-secret")));
    assertThat(ref.bodyMutation())
        .isEqualTo(
            new BodyMutation(
                List.of(
                    new BodyMutation.Field("temperature", "0.7"),
                    new BodyMutation.Field("seed", "1")),
                List.of("top_p", "user")));
  }

  @Test
  void eachPolicyTypeBecomesItsAuthWithTheMountedFileAndTheSecretKey() {
    var refs =
        new FakeReferences()
            .backend(backend("key", "{name: OpenAI}"))
            .backend(backend("azkey", "{name: AzureOpenAI, version: v}"))
            .backend(backend("anth", "{name: Anthropic}"))
            .backend(backend("aws", "{name: AWSBedrock}"))
            .backend(backend("awsoidc", "{name: AWSBedrock}"))
            .backend(backend("az", "{name: AzureOpenAI}"))
            .backend(backend("gcp", "{name: GCPVertexAI}"))
            .backend(backend("gcpwif", "{name: GCPVertexAI}"))
            .policy(policy("p1", "key", "type: APIKey\napiKey: {secretRef: {name: s1}}"))
            .policy(
                policy("p2", "azkey", "type: AzureAPIKey\nazureAPIKey: {secretRef: {name: s2}}"))
            .policy(
                policy(
                    "p3",
                    "anth",
                    "type: AnthropicAPIKey\nanthropicAPIKey: {secretRef: {name: s3}}"))
            .policy(
                policy(
                    "p4",
                    "aws",
                    "type: AWSCredentials\nawsCredentials: {region: eu-west-1, credentialsFile:"
                        + " {secretRef: {name: s4}, profile: team}}"))
            .policy(
                policy(
                    "p5",
                    "awsoidc",
                    "type: AWSCredentials\nawsCredentials: {region: eu-west-1, oidcExchangeToken:"
                        + " {awsRoleArn: arn, oidc: {provider: {issuer: https://i}, clientID: c,"
                        + " clientSecret: {name: cs}}}}"))
            .policy(
                policy(
                    "p6",
                    "az",
                    "type: AzureCredentials\nazureCredentials: {clientID: c, tenantID: t,"
                        + " clientSecretRef: {name: s6}}"))
            .policy(
                policy(
                    "p7",
                    "gcp",
                    "type: GCPCredentials\ngcpCredentials: {projectName: pr, region: r,"
                        + " credentialsFile: {secretRef: {name: s7}}}"))
            .policy(
                policy(
                    "p8",
                    "gcpwif",
                    "type: GCPCredentials\ngcpCredentials: {projectName: pr, region: r,"
                        + " workloadIdentityFederationConfig: {projectID: x,"
                        + " workloadIdentityProviderName: y, workloadIdentityPoolName: z,"
                        + " oidcExchangeToken: {oidc: {provider: {issuer: https://i}, clientID: c,"
                        + " clientSecret: {name: cs}}}}}"));
    RouteResolution resolution =
        resolve(
            """
            rules:
              - backendRefs: [{name: key}, {name: azkey}, {name: anth}, {name: aws}, {name: awsoidc}, {name: az}, {name: gcp}, {name: gcpwif}]
            """,
            refs);
    List<BackendAuth> auths = resolution.config().backends().stream().map(b -> b.auth()).toList();
    assertThat(auths.get(0))
        .isEqualTo(new BackendAuth.ApiKey(file("bsp-p1", "default", "s1", "apiKey")));
    assertThat(auths.get(1))
        .isEqualTo(new BackendAuth.AzureApiKey(file("bsp-p2", "default", "s2", "apiKey")));
    assertThat(auths.get(2))
        .isEqualTo(new BackendAuth.AnthropicApiKey(file("bsp-p3", "default", "s3", "apiKey")));
    assertThat(auths.get(3))
        .isEqualTo(
            new BackendAuth.Aws(
                "eu-west-1", file("bsp-p4", "default", "s4", "credentials"), "team"));
    assertThat(auths.get(4))
        .isEqualTo(
            new BackendAuth.Aws(
                "eu-west-1", file("bsp-p5", "default", "ai-eg-bsp-p5", "credentials"), "default"));
    assertThat(auths.get(5))
        .isEqualTo(
            new BackendAuth.Azure(
                "c", "t", file("bsp-p6", "default", "ai-eg-bsp-p6", "azureAccessToken")));
    assertThat(auths.get(6))
        .isEqualTo(
            new BackendAuth.Gcp(
                "pr", "r", file("bsp-p7", "default", "s7", "service_account.json"), null));
    assertThat(auths.get(7))
        .isEqualTo(
            new BackendAuth.Gcp(
                "pr", "r", null, file("bsp-p8", "default", "ai-eg-bsp-p8", "gcpAccessToken")));
    assertThat(resolution.backends())
        .extracting(b -> b.mount().map(m -> m.volume() + "=" + m.secretName()).orElse(""))
        .containsExactly(
            "bsp-p1=s1",
            "bsp-p2=s2",
            "bsp-p3=s3",
            "bsp-p4=s4",
            "bsp-p5=ai-eg-bsp-p5",
            "bsp-p6=ai-eg-bsp-p6",
            "bsp-p7=s7",
            "bsp-p8=ai-eg-bsp-p8");
  }

  static io.aigw.core.filterconfig.CredentialFile file(
      String volume, String ns, String secret, String key) {
    return new io.aigw.core.filterconfig.CredentialFile(
        "/etc/backend_security_policy/" + volume + "/" + key,
        new io.aigw.core.filterconfig.CredentialFile.SecretKeyRef(ns, secret, key));
  }

  @Test
  void awsCredentialsSignForTheHostOfTheBackendsOwnEndpoint() {
    var refs =
        new FakeReferences()
            .backend(backend("fips", "{name: AWSBedrock}"))
            .backend(backend("public", "{name: AWSBedrock}"))
            .backend(backend("key", "{name: OpenAI}"))
            .policy(
                policy("p1", "fips", "type: AWSCredentials\nawsCredentials: {region: us-east-1}"))
            .policy(
                policy("p2", "public", "type: AWSCredentials\nawsCredentials: {region: us-east-1}"))
            .policy(policy("p3", "key", "type: APIKey\napiKey: {secretRef: {name: s}}"))
            .host("default", "fips", "bedrock-runtime-fips.us-east-1.amazonaws.com")
            .host("default", "public", "bedrock-runtime.us-east-1.amazonaws.com")
            .host("default", "key", "api.openai.com");
    RouteResolution resolution =
        resolve("rules: [{backendRefs: [{name: fips}, {name: public}, {name: key}]}]", refs);
    var backends = resolution.config().backends();

    assertThat(backends.get(0).auth())
        .isEqualTo(
            new BackendAuth.Aws(
                "us-east-1", null, "default", "bedrock-runtime-fips.us-east-1.amazonaws.com"));
    // the region's public endpoint needs no host of its own: the config stays as it was
    assertThat(backends.get(1).auth()).isEqualTo(new BackendAuth.Aws("us-east-1", null, "default"));
    assertThat(backends.get(2).auth()).isInstanceOf(BackendAuth.ApiKey.class);
    // the Backends of the AWS backends shaped their config, whichever host they give
    assertThat(resolution.referenceSeqs()).contains(106L, 107L).doesNotContain(108L);
  }

  @Test
  void credentialOverridesGetTheDefaultsOfTheirType() {
    var refs =
        new FakeReferences()
            .backend(backend("key", "{name: OpenAI}"))
            .backend(backend("aws", "{name: AWSBedrock}"))
            .policy(
                policy(
                    "p1",
                    "key",
                    "type: APIKey\napiKey: {secretRef: {name: s1}}\ncredentialOverride:"
                        + " {fromRequestHeaders: {}}"))
            .policy(
                policy(
                    "p2",
                    "aws",
                    "type: AWSCredentials\nawsCredentials: {region: r}\ncredentialOverride:"
                        + " {fromDynamicMetadata: {namespace: auth, fallbackToConfigured: false}}"));
    var backends =
        resolve("rules: [{backendRefs: [{name: key}, {name: aws}]}]", refs).config().backends();
    assertThat(backends.get(0).credentialOverride())
        .isEqualTo(
            new CredentialOverride("x-aigw-api-key", null, null, true, List.of("x-aigw-api-key")));
    assertThat(backends.get(1).credentialOverride())
        .isEqualTo(
            new CredentialOverride(null, "auth", "x-aigw-aws-credentials", false, List.of()));
    assertThat(backends.get(1).auth()).isEqualTo(new BackendAuth.Aws("r", null, "default"));
  }

  @Test
  void awsHeaderOverridesRemoveAllThreeInputHeaders() {
    var policy =
        FakeReferences.read(
            policy(
                "p",
                "aws",
                "type: AWSCredentials\nawsCredentials: {region: r}\ncredentialOverride:"
                    + " {fromRequestHeaders: {header: X-Creds-}}"),
            io.aigw.core.model.BackendSecurityPolicy.class,
            1);
    assertThat(PolicyCredentials.override(policy.resource()).orElseThrow())
        .isEqualTo(
            new CredentialOverride(
                "x-creds-",
                null,
                null,
                true,
                List.of(
                    "x-creds-access-key-id",
                    "x-creds-secret-access-key",
                    "x-creds-session-token")));
    assertThat(PolicyCredentials.overrideProblem(policy.resource())).isEmpty();
  }

  @Test
  void anOverrideThatFallsBackToNothingIsAProblem() {
    var policy =
        FakeReferences.read(
            policy(
                "p",
                "gcp",
                "type: GCPCredentials\ngcpCredentials: {projectName: p, region: r}\n"
                    + "credentialOverride: {fromRequestHeaders: {}}"),
            io.aigw.core.model.BackendSecurityPolicy.class,
            1);
    assertThat(PolicyCredentials.overrideProblem(policy.resource()))
        .contains(
            "spec.credentialOverride: fallbackToConfigured is true but no credential is configured"
                + " to fall back to");
    assertThat(PolicyCredentials.override(policy.resource()).orElseThrow().headerName())
        .isEqualTo("x-aigw-gcp-access-token");
  }

  @Test
  void aSecretInAnotherNamespaceCannotBeMountedAndIsReported() {
    var refs =
        new FakeReferences()
            .backend(backend("key", "{name: OpenAI}"))
            .policy(
                policy(
                    "p1",
                    "key",
                    "type: APIKey\napiKey: {secretRef: {name: s1, namespace: vault}}"));
    RouteResolution resolution = resolve("rules: [{backendRefs: [{name: key}]}]", refs);
    assertThat(resolution.problems())
        .containsExactly(
            "spec.rules[0].backendRefs[0]: Secret vault/s1 of BackendSecurityPolicy default/p1"
                + " cannot be mounted into the ExtProc, which runs in namespace default");
    assertThat(resolution.backends().get(0).mount()).isEmpty();
    assertThat(resolution.config().backends().get(0).auth()).isNotNull();
  }

  @Test
  void eachSetOfTimeoutsABackendIsGivenHasARuleOfItsOwnWithA60sDefault() {
    var refs =
        new FakeReferences()
            .backend(backend("a", "{name: OpenAI}"))
            .backend(backend("b", "{name: OpenAI}"));
    RouteResolution resolution =
        resolve(
            """
            rules:
              - backendRefs: [{name: a}]
                timeouts: {backendRequest: 10s}
              - backendRefs: [{name: a}, {name: b}]
                timeouts: {request: 5s}
            """,
            refs);
    assertThat(resolution.backends().get(0).timeouts())
        .containsExactly(
            new io.aigw.core.model.HTTPRouteTimeouts("60s", "10s"),
            new io.aigw.core.model.HTTPRouteTimeouts("5s", null));
    assertThat(resolution.backends().get(1).timeouts())
        .containsExactly(new io.aigw.core.model.HTTPRouteTimeouts("5s", null));
    // the second rule's requests to a go to a's second HTTPRoute rule, to b to b's first
    assertThat(resolution.config().rules().get(0).backends().get(0).backendRule()).isNull();
    assertThat(resolution.config().rules().get(1).backends())
        .extracting(io.aigw.core.filterconfig.RuleBackend::backendRule)
        .containsExactly("5s", null);
    assertThat(resolution.problems()).isEmpty();
  }

  @Test
  void modelsTakeTheRulesOwnerAndCreationTimeAndSkipRegularExpressions() {
    RouteResolution resolution =
        resolve(
            """
            rules:
              - matches: [{headers: [{name: x-ai-eg-model, value: a}]}]
                modelsOwnedBy: me
                modelsCreatedAt: "2024-06-01T10:00:00+02:00"
              - matches: [{headers: [{name: x-ai-eg-model, type: RegularExpression, value: "b.*"}]}, {headers: [{name: x-ai-eg-model, value: a}]}]
            """,
            new FakeReferences());
    assertThat(resolution.config().models())
        .containsExactly(new Model("a", "me", "2024-06-01T08:00:00Z"));
  }

  @Test
  void aRuleWithARegularExpressionThatDoesNotCompileIsLeftOutAndNamed() {
    var refs =
        new FakeReferences()
            .backend(backend("a", "{name: OpenAI}"))
            .backend(backend("b", "{name: OpenAI}"));
    RouteResolution resolution =
        resolve(
            """
            rules:
              - matches: [{headers: [{name: x-ai-eg-model, value: gpt}]}, {headers: [{name: x-ai-eg-model, type: RegularExpression, value: "gpt-4o(-mini"}]}]
                backendRefs: [{name: a}]
              - matches: [{headers: [{name: x-ai-eg-model, value: llama}]}]
                backendRefs: [{name: b}]
            """,
            refs);
    assertThat(resolution.problems())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "spec.rules[0].matches[1].headers[0].value: invalid regular expression"
                + " \"gpt-4o(-mini\": ")
        .endsWith("; the rule is left out");
    assertThat(resolution.config().rules()).extracting(Rule::name).containsExactly("rule/1");
    assertThat(resolution.config().models()).extracting(Model::name).containsExactly("llama");
    assertThat(resolution.backends()).extracting(b -> b.key().name()).containsExactly("b");
  }

  @Test
  void atMostFifteenBackendRulesFitTheHttpRoute() {
    var refs = new FakeReferences();
    StringBuilder refsYaml = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      refs.backend(backend("b" + i, "{name: OpenAI}"));
      refsYaml.append(i == 0 ? "" : ", ").append("{name: b").append(i).append("}");
    }
    // a second set of timeouts for b0 would need a sixteenth backend rule too
    RouteResolution resolution =
        resolve(
            "rules: [{backendRefs: ["
                + refsYaml
                + "]}, {backendRefs: [{name: b0}], timeouts: {request: 300s}}]",
            refs);
    assertThat(resolution.backends()).hasSize(15);
    assertThat(resolution.problems())
        .containsExactly(
            "spec.rules[0].backendRefs[15]: AIServiceBackend default/b15 is left out: the generated"
                + " HTTPRoute has room for 15 backend rules (16 rules with route-not-found)",
            "spec.rules[1].timeouts: AIServiceBackend default/b0 keeps the timeouts of the first"
                + " rule naming it (request 60s): the generated HTTPRoute has room for 15 backend"
                + " rules");
    assertThat(resolution.config().rules().get(1).backends().get(0).backendRule()).isNull();
  }

  @Test
  void timeoutsWrittenOtherwiseButTheSameTakeNoRuleOfTheirOwn() {
    var refs = new FakeReferences().backend(backend("a", "{name: OpenAI}"));
    RouteResolution resolution =
        resolve(
            """
            rules:
              - backendRefs: [{name: a}]
              - backendRefs: [{name: a}]
                timeouts: {request: 1m}
              - backendRefs: [{name: a}]
                timeouts: {request: 2m}
              - backendRefs: [{name: a}]
                timeouts: {request: 120s}
            """,
            refs);
    assertThat(resolution.backends().get(0).timeouts())
        .containsExactly(
            new io.aigw.core.model.HTTPRouteTimeouts("60s", null),
            new io.aigw.core.model.HTTPRouteTimeouts("2m", null));
    assertThat(resolution.config().rules())
        .extracting(rule -> rule.backends().get(0).backendRule())
        .containsExactly(null, null, "2m", "2m");
  }

  @Test
  void backendsTakeTheHttpRouteFirstAndExtraTimeoutsOnlyTheRoomTheyLeave() {
    var refs = new FakeReferences().backend(backend("a", "{name: OpenAI}"));
    StringBuilder others = new StringBuilder();
    for (int i = 1; i <= 14; i++) {
      refs.backend(backend("b" + i, "{name: OpenAI}"));
      others.append(i == 1 ? "" : ", ").append("{name: b").append(i).append("}");
    }
    RouteResolution resolution =
        resolve(
            "rules: [{backendRefs: [{name: a}]}, {backendRefs: [{name: a}], timeouts: {request:"
                + " 300s}}, {backendRefs: ["
                + others
                + "]}]",
            refs);
    assertThat(resolution.backends()).hasSize(15);
    assertThat(resolution.problems())
        .containsExactly(
            "spec.rules[1].timeouts: AIServiceBackend default/a keeps the timeouts of the first"
                + " rule naming it (request 60s): the generated HTTPRoute has room for 15 backend"
                + " rules");
  }

  @Test
  void provenanceNamesBackendsGrantsPoliciesAndSecrets() {
    var refs =
        new FakeReferences()
            .backend(backend("a", "{name: OpenAI}"))
            .policy(policy("p", "a", "type: APIKey\napiKey: {secretRef: {name: s}}"))
            .secret("default", "s", "apiKey");
    RouteResolution resolution = resolve("rules: [{backendRefs: [{name: a}]}]", refs);
    assertThat(resolution.referenceSeqs()).containsExactly(100L);
    assertThat(resolution.credentialSeqs()).containsExactly(101L, 102L);
  }
}
