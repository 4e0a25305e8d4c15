package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.gateway.Names;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GatewayProjectionTest {

  static final String ROUTE =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata: {name: chat, namespace: default, generation: 3}
      spec:
        parentRefs: [{name: gw}]
        rules:
          - matches: [{headers: [{name: x-ai-eg-model, value: gpt}]}]
            backendRefs: [{name: openai}]
      """;

  static final String BACKEND =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIServiceBackend
      metadata: {name: openai, namespace: default}
      spec:
        schema: {name: OpenAI}
        backendRef: {name: openai, kind: Backend, group: gateway.envoyproxy.io}
      """;

  static final String POLICY =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: BackendSecurityPolicy
      metadata: {name: openai-key, namespace: default}
      spec:
        targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
        type: APIKey
        apiKey: {secretRef: {name: openai-secret}}
      """;

  static final String SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: openai-secret, namespace: default}
      stringData: {apiKey: sk-test}
      """;

  static final ObjectKey ROUTE_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "default", "chat");
  static final ObjectKey BACKEND_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "AIServiceBackend", "default", "openai");
  static final ObjectKey POLICY_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "BackendSecurityPolicy", "default", "openai-key");

  final GatewayProjection projection = new GatewayProjection();

  GatewayState fold(Fixtures.Log log) {
    return projection.applyAll(projection.initial(), log.entries());
  }

  static String message(GatewayState state, ObjectKey key) {
    ResourceStatus status = state.statuses().get(key);
    assertThat(status).as("status of %s", key).isNotNull();
    return status.message();
  }

  static ObjectKey desiredKey(String apiVersion, String kind, String name) {
    return ObjectKey.of(apiVersion, kind, "default", name);
  }

  @Test
  void aCompleteRouteIsAcceptedAndProducesItsSevenObjects() {
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND));
    assertThat(state.desired()).hasSize(7);
    assertThat(state.statuses().get(ROUTE_KEY).isAccepted()).isTrue();
    assertThat(message(state, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
    assertThat(message(state, BACKEND_KEY)).isEqualTo("AIServiceBackend reconciled successfully");
    assertThat(state.statuses().get(ROUTE_KEY).observedGeneration()).isEqualTo(3);
    assertThat(state.statuses().get(ROUTE_KEY).conditions().get(0))
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo("Accepted");
              assertThat(c.status()).isEqualTo("True");
              assertThat(c.reason()).isEqualTo("ReconciliationSucceeded");
            });
    assertThat(state.filterConfigs()).containsOnlyKeys(ROUTE_KEY);
  }

  @Test
  void everyDesiredObjectKeepsTheSeqsOfTheObjectsThatShapedIt() {
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + POLICY + "---\n" + SECRET));
    DesiredResource deployment =
        state.desired().get(desiredKey("apps/v1", "Deployment", "ai-eg-route-extproc-chat"));
    DesiredResource route =
        state.desired().get(desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "chat"));
    DesiredResource service =
        state.desired().get(desiredKey("v1", "Service", "ai-eg-route-extproc-chat"));
    assertThat(deployment.provenance()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(route.provenance()).containsExactly(1L, 2L);
    assertThat(service.provenance()).containsExactly(1L);
    assertThat(extensionPolicy(state).provenance()).containsExactly(1L);
  }

  @Test
  void aPolicyWhoseOverrideReadsMetadataShapesTheExtensionPolicy() {
    String reading =
        POLICY + "  credentialOverride: {fromDynamicMetadata: {namespace: auth.filter}}\n";
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + reading + "---\n" + SECRET));
    DesiredResource policy = extensionPolicy(state);
    assertThat(policy.object().at("/spec/extProc/0/metadata/accessibleNamespaces").toString())
        .isEqualTo("[\"auth.filter\"]");
    assertThat(policy.provenance()).containsExactly(1L, 3L);
  }

  private static DesiredResource extensionPolicy(GatewayState state) {
    return state
        .desired()
        .get(
            desiredKey(
                "gateway.envoyproxy.io/v1alpha1",
                "EnvoyExtensionPolicy",
                "ai-eg-route-extproc-chat"));
  }

  @Test
  void anUnknownBackendIsNamedAndTheRestOfTheRouteStillWorks() {
    String route =
        ROUTE.replace(
            "backendRefs: [{name: openai}]", "backendRefs: [{name: openai}, {name: foo}]");
    GatewayState state = fold(new Fixtures.Log().upsert(route + "---\n" + BACKEND));
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo("spec.rules[0].backendRefs[1]: AIServiceBackend default/foo not found");
    assertThat(state.statuses().get(ROUTE_KEY).conditions().get(0))
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo("NotAccepted");
              assertThat(c.status()).isEqualTo("False");
              assertThat(c.reason()).isEqualTo("ReconciliationFailed");
            });
    FilterConfig config = state.filterConfigs().get(ROUTE_KEY);
    assertThat(config.backends()).extracting(b -> b.name()).containsExactly("openai.default");
    assertThat(config.rules().get(0).backends())
        .extracting(b -> b.backend())
        .containsExactly("openai.default");
    assertThat(state.desired()).hasSize(7);
  }

  @Test
  void aBackendCreatedLaterHealsTheRoute() {
    GatewayState before = fold(new Fixtures.Log().upsert(ROUTE));
    assertThat(message(before, ROUTE_KEY))
        .isEqualTo("spec.rules[0].backendRefs[0]: AIServiceBackend default/openai not found");
    GatewayState after = fold(new Fixtures.Log().upsert(ROUTE).upsert(BACKEND));
    assertThat(message(after, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
    assertThat(after.filterConfigs().get(ROUTE_KEY).backends()).hasSize(1);
  }

  @Test
  void anInvalidUpdateIsNotAcceptedAndTheLastValidVersionKeepsProducingOutput() {
    var log = new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND);
    GatewayState valid = fold(log);
    String invalid = ROUTE.replace("- matches:", "- name: route-not-found\n      matches:");
    GatewayState state = projection.applyAll(valid, new Fixtures.Log(3).upsert(invalid).entries());
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "spec.rules[0]: Invalid value: \"object\": rule name route-not-found is reserved");
    assertThat(state.desired()).isEqualTo(valid.desired());
    assertThat(state.filterConfigs()).isEqualTo(valid.filterConfigs());
    assertThat(message(state, BACKEND_KEY)).isEqualTo("AIServiceBackend reconciled successfully");
  }

  @Test
  void anObjectThatWasNeverValidProducesNothingButItsStatus() {
    String invalid =
        BACKEND.replace("kind: Backend, group: gateway.envoyproxy.io", "kind: Service, port: 80");
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + invalid));
    assertThat(message(state, BACKEND_KEY))
        .isEqualTo(
            "spec.backendRef: Invalid value: \"object\": BackendRef must be a Backend resource of"
                + " Envoy Gateway. See https://github.com/envoyproxy/ai-gateway/issues/902 for more"
                + " details.");
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "spec.rules[0].backendRefs[0]: AIServiceBackend default/openai is not valid (see its"
                + " status)");
  }

  @Test
  void aPolicyThatTargetsNothingThatExistsIsNotAccepted() {
    GatewayState state = fold(new Fixtures.Log().upsert(POLICY + "---\n" + SECRET));
    assertThat(message(state, POLICY_KEY))
        .isEqualTo("spec.targetRefs[0]: AIServiceBackend default/openai not found");
    GatewayState healed =
        fold(new Fixtures.Log().upsert(POLICY + "---\n" + SECRET + "---\n" + BACKEND));
    assertThat(message(healed, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
  }

  @Test
  void twoPoliciesOnOneBackendNameBothAndOnlyTheOldestApplies() {
    String older =
        POLICY.replace(
            "metadata: {name: openai-key, namespace: default}",
            "metadata: {name: zz-old, namespace: default, creationTimestamp:"
                + " \"2024-01-01T00:00:00Z\"}");
    String newer =
        POLICY
            .replace(
                "metadata: {name: openai-key, namespace: default}",
                "metadata: {name: aa-new, namespace: default, creationTimestamp:"
                    + " \"2025-01-01T00:00:00Z\"}")
            .replace("openai-secret", "other-secret");
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + SECRET)
                .upsert(newer)
                .upsert(older));
    assertThat(message(state, BACKEND_KEY))
        .isEqualTo(
            "more than one BackendSecurityPolicy targets this AIServiceBackend: default/zz-old,"
                + " default/aa-new; only default/zz-old applies (the oldest, then by name)");
    ObjectKey loser = policyKey("aa-new");
    assertThat(message(state, loser))
        .startsWith(
            "spec.targetRefs[0]: AIServiceBackend default/openai is also targeted by"
                + " BackendSecurityPolicy default/zz-old, which applies");
    assertThat(message(state, policyKey("zz-old")))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
    BackendAuth auth = state.filterConfigs().get(ROUTE_KEY).backends().get(0).auth();
    assertThat(((BackendAuth.ApiKey) auth).key().secret().name()).isEqualTo("openai-secret");
  }

  @Test
  void withoutTimestampsTheFirstPolicyByNameApplies() {
    String second = POLICY.replace("name: openai-key,", "name: b-key,");
    String first = POLICY.replace("name: openai-key,", "name: a-key,");
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + second + "---\n" + first));
    assertThat(message(state, BACKEND_KEY)).contains("only default/a-key applies");
  }

  @Test
  void aMissingSecretOrKeyIsReportedOnThePolicy() {
    GatewayState missing = fold(new Fixtures.Log().upsert(BACKEND + "---\n" + POLICY));
    assertThat(message(missing, POLICY_KEY))
        .isEqualTo("spec.apiKey.secretRef: Secret default/openai-secret not found");
    GatewayState wrongKey =
        fold(
            new Fixtures.Log()
                .upsert(
                    BACKEND
                        + "---\n"
                        + POLICY
                        + "---\n"
                        + SECRET.replace("apiKey: sk", "token: sk")));
    assertThat(message(wrongKey, POLICY_KEY))
        .isEqualTo("spec.apiKey.secretRef: Secret default/openai-secret has no key apiKey");
    GatewayState healed =
        projection.applyAll(missing, new Fixtures.Log(3).upsert(SECRET).entries());
    assertThat(message(healed, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
  }

  @Test
  void aGcpPolicyWithNeitherFileNorFederationIsAcceptedForTheApplicationDefaultCredentials() {
    String gcp =
        POLICY
            .replace("type: APIKey", "type: GCPCredentials")
            .replace(
                "apiKey: {secretRef: {name: openai-secret}}",
                "gcpCredentials: {projectName: p, region: us-central1}");
    GatewayState state = fold(new Fixtures.Log().upsert(BACKEND + "---\n" + gcp));
    assertThat(message(state, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
    assertThat(state.statuses().get(POLICY_KEY).isAccepted()).isTrue();
  }

  @Test
  void aCelCostThatDoesNotCompileOrReturnsNoIntegerIsNamedAndLeftOut() {
    String route =
        ROUTE
            + """
              llmRequestCosts:
                - {metadataKey: in, type: InputToken}
                - {metadataKey: bad, type: CEL, cel: "input_tokens +"}
                - {metadataKey: text, type: CEL, cel: "model"}
                - {metadataKey: ok, type: CEL, cel: "input_tokens * uint(3) + output_tokens"}
                - {metadataKey: mixed, type: CEL, cel: "input_tokens * 3"}
            """;
    GatewayState state = fold(new Fixtures.Log().upsert(route + "---\n" + BACKEND));
    String message = message(state, ROUTE_KEY);
    assertThat(message.split("; "))
        .hasSize(3)
        .satisfies(
            parts -> {
              assertThat(parts[0])
                  .startsWith(
                      "spec.llmRequestCosts[1].cel: CEL expression \"input_tokens +\" does not"
                          + " compile: ");
              assertThat(parts[1])
                  .isEqualTo(
                      "spec.llmRequestCosts[2].cel: CEL expression \"model\" must return int or"
                          + " uint, not string");
              assertThat(parts[2])
                  .startsWith(
                      "spec.llmRequestCosts[4].cel: CEL expression \"input_tokens * 3\" does not"
                          + " compile: ")
                  .contains("no matching overload");
            });
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts())
        .extracting(c -> c.metadataKey())
        .containsExactly("in", "ok");
  }

  @Test
  void aCrossNamespaceBackendNeedsAReferenceGrant() {
    String route =
        ROUTE.replace(
            "backendRefs: [{name: openai}]", "backendRefs: [{name: openai, namespace: models}]");
    String backend = BACKEND.replace("namespace: default", "namespace: models");
    String grant =
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: routes, namespace: models}
        spec:
          from: [{group: aigateway.envoyproxy.io, kind: AIGatewayRoute, namespace: default}]
          to: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend}]
        """;
    GatewayState denied = fold(new Fixtures.Log().upsert(route + "---\n" + backend));
    assertThat(message(denied, ROUTE_KEY))
        .isEqualTo(
            "spec.rules[0].backendRefs[0]: AIServiceBackend models/openai is in another namespace"
                + " and no ReferenceGrant in models allows AIGatewayRoutes of default to refer to"
                + " it");
    GatewayState allowed = projection.applyAll(denied, new Fixtures.Log(3).upsert(grant).entries());
    assertThat(message(allowed, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
    JsonNode httpRoute =
        allowed
            .desired()
            .get(desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "chat"))
            .object();
    assertThat(httpRoute.at("/spec/rules/0/backendRefs/0/namespace").asText()).isEqualTo("models");
    assertThat(httpRoute.at("/spec/rules/0/matches/0/headers/0/value").asText())
        .isEqualTo("openai.models");
    GatewayState revoked =
        projection.applyAll(allowed, new Fixtures.Log(4).delete(grant).entries());
    assertThat(revoked.sameOutputs(denied)).isTrue();
    GatewayState revoking =
        projection.applyAll(allowed, new Fixtures.Log(4).upsert(beingDeleted(grant)).entries());
    assertThat(revoking.sameOutputs(denied)).as("a grant being deleted").isTrue();
  }

  @Test
  void inferencePoolBackendsAreReportedAsUnsupported() {
    String route =
        ROUTE.replace(
            "backendRefs: [{name: openai}]",
            "backendRefs: [{name: pool, group: inference.networking.k8s.io, kind: InferencePool}]");
    GatewayState state = fold(new Fixtures.Log().upsert(route));
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo("spec.rules[0].backendRefs[0]: InferencePool backends are not supported");
  }

  @Test
  void changingABackendsSchemaChangesOnlyThatRoutesConfigMapAndConfigHash() {
    String otherRoute =
        ROUTE.replace("name: chat,", "name: other,").replace("{name: openai}", "{name: other}");
    String otherBackend = BACKEND.replace("name: openai,", "name: other,");
    var log =
        new Fixtures.Log().upsert(String.join("---\n", ROUTE, BACKEND, otherRoute, otherBackend));
    GatewayState before = fold(log);
    String changed =
        BACKEND.replace(
            "schema: {name: OpenAI}", "schema: {name: AzureOpenAI, version: \"2024-10-21\"}");
    GatewayState after =
        projection.applyAll(before, new Fixtures.Log(log.nextSeq()).upsert(changed).entries());

    Map<ObjectKey, JsonNode> a = objects(before);
    Map<ObjectKey, JsonNode> b = objects(after);
    assertThat(b.keySet()).isEqualTo(a.keySet());
    List<ObjectKey> differing =
        a.keySet().stream().filter(k -> !a.get(k).equals(b.get(k))).toList();
    ObjectKey configMap = desiredKey("v1", "ConfigMap", "ai-eg-route-extproc-chat");
    ObjectKey deployment = desiredKey("apps/v1", "Deployment", "ai-eg-route-extproc-chat");
    assertThat(differing).containsExactlyInAnyOrder(configMap, deployment);
    String hash =
        "/spec/template/metadata/annotations/" + Names.CONFIG_HASH_ANNOTATION.replace("/", "~1");
    assertThat(b.get(deployment).at(hash)).isNotEqualTo(a.get(deployment).at(hash));
    var withOldHash = b.get(deployment).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            withOldHash.at("/spec/template/metadata/annotations"))
        .set(Names.CONFIG_HASH_ANNOTATION, a.get(deployment).at(hash));
    assertThat(withOldHash).isEqualTo(a.get(deployment));
  }

  @Test
  void theConfigHashIsTheSha256OfTheConfigMapData() {
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND));
    JsonNode configMap =
        state.desired().get(desiredKey("v1", "ConfigMap", "ai-eg-route-extproc-chat")).object();
    JsonNode deployment =
        state
            .desired()
            .get(desiredKey("apps/v1", "Deployment", "ai-eg-route-extproc-chat"))
            .object();
    String yaml = configMap.at("/data/" + Names.EXTPROC_CONFIG_KEY).asText();
    assertThat(
            deployment
                .at("/spec/template/metadata/annotations")
                .get(Names.CONFIG_HASH_ANNOTATION)
                .asText())
        .isEqualTo(Names.sha256Hex(yaml));
  }

  @Test
  void upsertThenDeleteOfAnyObjectRestoresThePreviousState() {
    var base = new Fixtures.Log().upsert(String.join("---\n", ROUTE, BACKEND, POLICY, SECRET));
    GatewayState before = fold(base);
    String other =
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec: {gatewayClassName: x, listeners: []}
        """;
    String extraRoute = ROUTE.replace("name: chat,", "name: extra,");
    String extraBackend = BACKEND.replace("name: openai,", "name: extra,");
    String extraPolicy = POLICY.replace("name: openai-key,", "name: extra-key,");
    String extraSecret = SECRET.replace("name: openai-secret,", "name: extra-secret,");
    String grant =
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: default}
        spec:
          from: [{group: aigateway.envoyproxy.io, kind: AIGatewayRoute, namespace: other}]
          to: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend}]
        """;
    for (String yaml : List.of(other, extraRoute, extraBackend, extraPolicy, extraSecret, grant)) {
      GatewayState after =
          projection.applyAll(
              before, new Fixtures.Log(base.nextSeq()).upsert(yaml).delete(yaml).entries());
      assertThat(after.sameOutputs(before)).as(yaml).isTrue();
      assertThat(after.catalog()).as(yaml).isEqualTo(before.catalog());
      assertThat(after.desiredByRoute()).as(yaml).isEqualTo(before.desiredByRoute());
    }
  }

  static String beingDeleted(String yaml) {
    return yaml.replace(
        "metadata: {",
        "metadata: {deletionTimestamp: '2026-11-28T04:00:00Z',"
            + " finalizers: [aigateway.envoyproxy.io/finalizer], ");
  }

  @Test
  void anObjectBeingDeletedCountsAsDeleted() {
    var base = new Fixtures.Log().upsert(String.join("---\n", ROUTE, BACKEND, POLICY, SECRET));
    GatewayState before = fold(base);
    for (String yaml : List.of(ROUTE, BACKEND, POLICY, SECRET)) {
      GatewayState deleted =
          projection.applyAll(before, new Fixtures.Log(base.nextSeq()).delete(yaml).entries());
      GatewayState deleting =
          projection.applyAll(
              before, new Fixtures.Log(base.nextSeq()).upsert(beingDeleted(yaml)).entries());
      assertThat(deleting.sameOutputs(before)).as(yaml).isFalse();
      assertThat(deleting.sameOutputs(deleted)).as(yaml).isTrue();
      assertThat(deleting.catalog()).as(yaml).isEqualTo(deleted.catalog());
      // the world keeps the object as it is, for the dashboard and for the delete still to come
      assertThat(deleting.world().objects()).hasSize(4);
      GatewayState gone =
          projection.applyAll(
              deleting, new Fixtures.Log(base.nextSeq() + 1).delete(yaml).entries());
      assertThat(gone.sameOutputs(deleted)).as(yaml).isTrue();
      // a relist of the same version keeps it out
      GatewayState again =
          projection.applyAll(
              deleting, new Fixtures.Log(base.nextSeq() + 1).upsert(beingDeleted(yaml)).entries());
      assertThat(again.catalog()).as(yaml).isEqualTo(deleted.catalog());
    }
  }

  @Test
  void deletingARouteRemovesItsObjectsConfigAndStatus() {
    var log = new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).delete(ROUTE);
    GatewayState state = fold(log);
    assertThat(state.desired()).isEmpty();
    assertThat(state.filterConfigs()).isEmpty();
    assertThat(state.statuses()).containsOnlyKeys(BACKEND_KEY);
  }

  @Test
  void kindsAigwDoesNotActOnAndSourceErrorsChangeOnlyTheWorld() {
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND));
    var entries =
        new Fixtures.Log(3)
            .upsert(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec: {}
                """)
            .entries();
    GatewayState after = projection.applyAll(state, entries);
    after =
        projection.apply(
            after, new LogEntry(4, Instant.EPOCH, new SourceError("test", "f.yaml", 1, "bad")));
    assertThat(after.seq()).isEqualTo(4);
    assertThat(after.sameOutputs(state)).isTrue();
    assertThat(after.world().objects()).hasSize(3);
  }

  @Test
  void aDeletedBackendUnresolvesItsRoutesAndPolicies() {
    var log =
        new Fixtures.Log()
            .upsert(String.join("---\n", ROUTE, BACKEND, POLICY, SECRET))
            .delete(BACKEND);
    GatewayState state = fold(log);
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo("spec.rules[0].backendRefs[0]: AIServiceBackend default/openai not found");
    assertThat(message(state, POLICY_KEY))
        .isEqualTo("spec.targetRefs[0]: AIServiceBackend default/openai not found");
    assertThat(state.filterConfigs().get(ROUTE_KEY).backends()).isEmpty();
  }

  @Test
  void aDeleteEventOfAnUnknownObjectChangesNothing() {
    GatewayState state = fold(new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND));
    GatewayState after = projection.applyAll(state, new Fixtures.Log(3).delete(POLICY).entries());
    assertThat(after.sameOutputs(state)).isTrue();
  }

  @Test
  void aRouteWhoseTranslationFailsGetsNoObjectsAndSaysSoWhileOthersWork() {
    var failing =
        new GatewayProjection(
            new io.aigw.projections.filterconfig.FilterConfigProjection(
                new io.aigw.projections.filterconfig.CostExpressions() {
                  @Override
                  public java.util.Optional<String> problem(String expression) {
                    throw new IllegalStateException("boom");
                  }
                }),
            new io.aigw.projections.desired.DesiredResourcesProjection(),
            ExtProcScope.ROUTE);
    String withCost =
        ROUTE + "  llmRequestCosts: [{metadataKey: c, type: CEL, cel: \"input_tokens\"}]\n";
    String other = ROUTE.replace("name: chat,", "name: other,");
    GatewayState ok =
        failing.applyAll(
            failing.initial(), new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND).entries());
    GatewayState state =
        failing.applyAll(ok, new Fixtures.Log(3).upsert(withCost).upsert(other).entries());
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo("the route could not be translated: java.lang.IllegalStateException: boom");
    assertThat(state.filterConfigs()).doesNotContainKey(ROUTE_KEY);
    assertThat(state.desired().keySet()).allMatch(key -> key.name().endsWith("other"));
    assertThat(state.desired()).hasSize(7);
  }

  @Test
  void anUnservedApiVersionIsNotAccepted() {
    String route = ROUTE.replace("aigateway.envoyproxy.io/v1beta1", "aigateway.envoyproxy.io/v9");
    GatewayState state = fold(new Fixtures.Log().upsert(route));
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "apiVersion: Unsupported value: \"aigateway.envoyproxy.io/v9\": supported values:"
                + " \"aigateway.envoyproxy.io/v1beta1\", \"aigateway.envoyproxy.io/v1alpha1\"");
    assertThat(state.desired()).isEmpty();
  }

  @Test
  void theOwnerUidComesFromTheEventWhenTheObjectHasNone() {
    var event =
        Fixtures.event(Fixtures.documents(ROUTE).get(0), io.aigw.core.event.EventType.UPSERT);
    var object =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            io.aigw.core.codec.CanonicalJson.read(event.objectJson());
    ((com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata")).remove("uid");
    var withoutUid =
        new io.aigw.core.event.WatchEvent(
            "test",
            event.apiVersion(),
            event.kind(),
            event.namespace(),
            event.name(),
            "event-uid",
            "1",
            1,
            io.aigw.core.event.EventType.UPSERT,
            io.aigw.core.codec.CanonicalJson.write(object));
    GatewayState state = fold(new Fixtures.Log().add(withoutUid));
    JsonNode route =
        state
            .desired()
            .get(desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "chat"))
            .object();
    assertThat(route.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("event-uid");
  }

  @Test
  void policyTargetsOtherThanAiServiceBackendsAreReported() {
    String policy =
        POLICY.replace(
            "targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]",
            "targetRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: pool}]");
    GatewayState state = fold(new Fixtures.Log().upsert(policy + "---\n" + SECRET));
    assertThat(message(state, POLICY_KEY))
        .isEqualTo("spec.targetRefs[0]: InferencePool targets are not supported");
  }

  @Test
  void aRotatedSecretIsNotRequiredToExist() {
    String policy =
        POLICY.replace(
            "type: APIKey\n  apiKey: {secretRef: {name: openai-secret}}",
            "type: AWSCredentials\n  awsCredentials: {region: r, oidcExchangeToken: {awsRoleArn: a,"
                + " oidc: {provider: {issuer: https://i}, clientID: c, clientSecret: {name: cs}}}}");
    GatewayState state = fold(new Fixtures.Log().upsert(BACKEND + "---\n" + policy));
    assertThat(message(state, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
  }

  @Test
  void aFailedRotationIsNamedOnThePolicyUntilOneSucceedsOrTheSpecChanges() {
    String policy =
        POLICY
            .replace("namespace: default}", "namespace: default, generation: 2}")
            .replace(
                "type: APIKey\n  apiKey: {secretRef: {name: openai-secret}}",
                "type: AWSCredentials\n  awsCredentials: {region: r, oidcExchangeToken:"
                    + " {awsRoleArn: a, oidc: {provider: {issuer: https://i}, clientID: c,"
                    + " clientSecret: {name: cs}}}}");
    String uid = Fixtures.uid(POLICY_KEY);
    Fixtures.Log log =
        new Fixtures.Log()
            .upsert(BACKEND + "---\n" + policy)
            .add(rotation(uid, 2, "the token endpoint answered 401"));
    String failed =
        "spec.awsCredentials.oidcExchangeToken: the credential could not be rotated: the token"
            + " endpoint answered 401";
    assertThat(fold(log).statuses().get(POLICY_KEY).isAccepted()).isFalse();
    assertThat(message(fold(log), POLICY_KEY)).isEqualTo(failed);

    // an outcome of another policy that had the name, or of an older generation, changes nothing
    assertThat(message(fold(log.add(rotation("gone", 2, ""))), POLICY_KEY)).isEqualTo(failed);
    assertThat(fold(log.add(rotation(uid, 2, ""))).statuses().get(POLICY_KEY).isAccepted())
        .isTrue();
    assertThat(fold(log.add(rotation(uid, 1, "old"))).statuses().get(POLICY_KEY).isAccepted())
        .isTrue();

    // a new generation is rotated afresh: the failure of the last one is not its own; an outcome
    // of an older generation that comes late does not end the failure
    log.add(rotation(uid, 2, "the token endpoint answered 401")).add(rotation(uid, 1, ""));
    assertThat(fold(log).statuses().get(POLICY_KEY).isAccepted()).isFalse();
    GatewayState edited = fold(log.upsert(policy.replace("generation: 2", "generation: 3")));
    assertThat(message(edited, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");

    // a policy deleted and made again does not inherit the failure
    log.add(rotation(uid, 3, "timed out"));
    assertThat(fold(log).statuses().get(POLICY_KEY).isAccepted()).isFalse();
    GatewayState again =
        fold(log.delete(policy).upsert(policy.replace("generation: 2", "generation: 3")));
    assertThat(message(again, POLICY_KEY))
        .isEqualTo("BackendSecurityPolicy reconciled successfully");
  }

  private static RotationOutcome rotation(String uid, long generation, String failure) {
    return new RotationOutcome("test", "default", "openai-key", uid, generation, failure);
  }

  @Test
  void eachSetOfTimeoutsOfABackendHasAnHttpRouteRuleTheExtProcSelects() {
    String route =
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat, namespace: default}
        spec:
          parentRefs: [{name: gw}]
          rules:
            - matches: [{headers: [{name: x-ai-eg-model, value: gpt}]}]
              backendRefs: [{name: openai}]
              timeouts: {request: 10s}
            - matches: [{headers: [{name: x-ai-eg-model, value: gpt-mini}]}]
              backendRefs: [{name: openai}]
              timeouts: {request: 10s}
            - matches: [{headers: [{name: x-ai-eg-model, value: o1}]}]
              backendRefs: [{name: openai}]
              timeouts: {request: 300s}
        """;
    GatewayState state = fold(new Fixtures.Log().upsert(route + "---\n" + BACKEND));
    assertThat(message(state, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
    JsonNode rules =
        state
            .desired()
            .get(desiredKey("gateway.networking.k8s.io/v1", "HTTPRoute", "chat"))
            .object()
            .at("/spec/rules");
    assertThat(rules).hasSize(3);
    assertThat(rules.at("/0/timeouts/request").asText()).isEqualTo("10s");
    assertThat(rules.at("/0/matches/0/headers")).hasSize(1);
    assertThat(rules.at("/1/timeouts/request").asText()).isEqualTo("300s");
    assertThat(rules.at("/1/matches/0/headers/1/name").asText()).isEqualTo("x-aigw-backend-rule");
    assertThat(rules.at("/1/matches/0/headers/1/value").asText()).isEqualTo("300s");
    assertThat(rules.at("/1/filters/0/type").asText()).isEqualTo("RequestHeaderModifier");
    assertThat(rules.at("/1/filters/0/requestHeaderModifier/remove"))
        .extracting(JsonNode::asText)
        .as("the header that picked the rule does not go on to the provider")
        .containsExactly("x-aigw-backend-rule");
    assertThat(rules.at("/1/filters/1/extensionRef/name").asText())
        .isEqualTo("ai-eg-host-rewrite-chat");
    assertThat(rules.at("/0/filters")).hasSize(1);
    assertThat(state.filterConfigs().get(ROUTE_KEY).rules())
        .extracting(rule -> rule.backends().get(0).backendRule())
        .containsExactly(null, null, "300s");
  }

  @Test
  void aStreamIdleTimeoutIsNamedForTheGeneratedResourcesCannotCarryIt() {
    String route =
        ROUTE.replace(
            "backendRefs: [{name: openai}]",
            "backendRefs: [{name: openai}]\n      streamIdleTimeout: 30s");
    GatewayState state = fold(new Fixtures.Log().upsert(route + "---\n" + BACKEND));
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "spec.rules[0].streamIdleTimeout: not applied: the generated Gateway API resources"
                + " have no per-try idle timeout (upstream's extension server sets it on Envoy's"
                + " routes); the rule's streams are bounded by its request timeout only");
    assertThat(state.desired()).hasSize(7);
  }

  @Test
  void aCelCostWithoutAnExpressionIsReported() {
    String route = ROUTE + "  llmRequestCosts: [{metadataKey: c, type: CEL}]\n";
    GatewayState state = fold(new Fixtures.Log().upsert(route + "---\n" + BACKEND));
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo("spec.llmRequestCosts[0].cel: Required value: a CEL cost needs an expression");
  }

  @Test
  void aReferenceGrantMustComeFromTheRoutesNamespaceAndMayNameTheBackend() {
    String route =
        ROUTE.replace(
            "backendRefs: [{name: openai}]", "backendRefs: [{name: openai, namespace: models}]");
    String backend = BACKEND.replace("namespace: default", "namespace: models");
    String grant =
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: g, namespace: models}
        spec:
          from: [{group: aigateway.envoyproxy.io, kind: AIGatewayRoute, namespace: %s}]
          to: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: %s}]
        """;
    var base = new Fixtures.Log().upsert(route + "---\n" + backend);
    assertThat(message(fold(base), ROUTE_KEY)).contains("no ReferenceGrant");
    for (String[] args :
        List.of(new String[] {"elsewhere", "openai"}, new String[] {"default", "another"})) {
      GatewayState state =
          projection.applyAll(
              fold(base), new Fixtures.Log(3).upsert(grant.formatted((Object[]) args)).entries());
      assertThat(message(state, ROUTE_KEY))
          .as(String.join(",", args))
          .contains("no ReferenceGrant");
    }
    GatewayState named =
        projection.applyAll(
            fold(base), new Fixtures.Log(3).upsert(grant.formatted("default", "openai")).entries());
    assertThat(message(named, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
  }

  @Test
  void aPolicyWithAnUnreadableTimestampYieldsToOneWithAValidOne() {
    String dated =
        POLICY.replace(
            "metadata: {name: openai-key, namespace: default}",
            "metadata: {name: zz, namespace: default, creationTimestamp: \"2024-01-01T00:00:00Z\"}");
    String undated = POLICY.replace("name: openai-key,", "name: aa,");
    GatewayState state =
        fold(new Fixtures.Log().upsert(String.join("---\n", BACKEND, SECRET, undated, dated)));
    assertThat(message(state, BACKEND_KEY)).contains("only default/zz applies");
  }

  private static Map<ObjectKey, JsonNode> objects(GatewayState state) {
    Map<ObjectKey, JsonNode> out = new TreeMap<>();
    state.desired().forEach((key, resource) -> out.put(key, resource.object()));
    return out;
  }

  private static ObjectKey policyKey(String name) {
    return new ObjectKey("aigateway.envoyproxy.io", "BackendSecurityPolicy", "default", name);
  }
}
