package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.Outcome;
import io.aigw.deploy.apply.AppliedObject;
import io.aigw.deploy.apply.OwnedFields;
import io.aigw.deploy.apply.ResourceType;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.watchers.informer.WatchedKind;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@code aigw controller} against fabric8's Kubernetes mock server in CRUD mode (a real HTTP API
 * server without server-side apply, so the applier takes its create/update fallback), one namespace
 * per test.
 */
class KubernetesControllerIT {

  /** Watch, log, fold, applier and mock server in turn: as long as awaitConverged allows. */
  private static final Duration CHAIN = Duration.ofSeconds(60);

  static final String OPENAI_ROUTE = "envoy-ai-gateway-basic-openai";

  ControllerHarness cluster;

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
    cluster = new ControllerHarness("t-" + method.substring(0, Math.min(40, method.length())));
  }

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  static Path examples() {
    return Path.of(System.getProperty("aigw.root", ".."))
        .resolve("../shared/fixtures/upstream/examples")
        .normalize();
  }

  /** Field {@code field} of the first status condition of {@code kind} {@code name}, or "". */
  String condition(WatchedKind kind, String name, String field) {
    return cluster
        .get(kind, name)
        .map(object -> object.at("/status/conditions/0/" + field).asText())
        .orElse("");
  }

  /** The data of the generated ConfigMap {@code name}, as JSON text. */
  String configMapData(String name) throws Exception {
    return cluster
        .owned()
        .get(ResourceType.CONFIG_MAP.key(cluster.namespace, name))
        .at("/data")
        .toString();
  }

  void applyExamples() throws Exception {
    try (Stream<Path> files = Files.walk(examples())) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        cluster.apply(file);
      }
    }
  }

  Map<String, String> versions() throws Exception {
    Map<String, String> versions = new HashMap<>();
    cluster
        .owned()
        .forEach(
            (key, live) ->
                versions.put(key.toString(), live.at("/metadata/resourceVersion").asText()));
    return versions;
  }

  @Test
  void theUpstreamExamplesBecomeTheirResourcesWithFieldsAndOwners() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    // ready means every object the informers listed is folded, not just queued for the log
    Set<ObjectKey> foldedAtReady =
        Set.copyOf(controller.host().current().world().objects().keySet());
    cluster.awaitConverged(controller);
    assertThat(foldedAtReady)
        .hasSizeGreaterThan(20)
        .isEqualTo(controller.host().current().world().objects().keySet());

    Map<ObjectKey, DesiredResource> desired = controller.host().current().desired();
    Map<ObjectKey, JsonNode> live = cluster.owned();
    assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(desired.keySet());
    assertThat(desired).hasSizeGreaterThan(50);
    desired.forEach(
        (key, resource) ->
            assertThat(OwnedFields.coveredBy(resource.object(), live.get(key)))
                .as("%s has the desired fields", key)
                .isTrue());

    String routeUid =
        cluster
            .get(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE)
            .orElseThrow()
            .at("/metadata/uid")
            .asText();
    String ns = cluster.namespace;
    JsonNode httpRoute =
        live.get(new ObjectKey("gateway.networking.k8s.io", "HTTPRoute", ns, OPENAI_ROUTE));
    assertThat(httpRoute.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(routeUid);
    assertThat(httpRoute.at("/metadata/ownerReferences/0/kind").asText())
        .isEqualTo("AIGatewayRoute");
    assertThat(httpRoute.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
    assertThat(httpRoute.at("/spec/parentRefs/0/name").asText())
        .isEqualTo("envoy-ai-gateway-basic");
    assertThat(httpRoute.at("/spec/rules/0/matches/0/headers/0/value").asText())
        .isEqualTo(OPENAI_ROUTE + "." + ns);
    String extProc = "ai-eg-route-extproc-" + OPENAI_ROUTE;
    JsonNode deployment = live.get(new ObjectKey("apps", "Deployment", ns, extProc));
    assertThat(deployment.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(routeUid);
    assertThat(
            deployment
                .at(
                    "/spec/template/metadata/annotations/aigateway.envoyproxy.io~1extproc-config-hash")
                .asText())
        .hasSize(64);
    assertThat(live)
        .containsKeys(
            new ObjectKey("", "ConfigMap", ns, extProc),
            new ObjectKey("", "Service", ns, extProc),
            new ObjectKey("gateway.envoyproxy.io", "EnvoyExtensionPolicy", ns, extProc));
    // the example routes attach to their Gateways without hostnames: in a cluster one route per
    // Gateway takes the requests, and the others say whose ExtProc answers theirs (README)
    Map<ObjectKey, ResourceStatus> routes = new HashMap<>();
    Map<String, Integer> takingPerGateway = new HashMap<>();
    controller
        .host()
        .current()
        .statuses()
        .forEach(
            (key, status) -> {
              if (key.kind().equals("AIGatewayRoute")) {
                routes.put(key, status);
                String gateway =
                    cluster
                        .get(WatchedKind.AI_GATEWAY_ROUTE, key.name())
                        .orElseThrow()
                        .at("/spec/parentRefs/0/name")
                        .asText();
                boolean taking =
                    !status.message().contains("takes this route's requests on Gateway");
                takingPerGateway.merge(gateway, taking ? 1 : 0, Integer::sum);
              }
            });
    assertThat(takingPerGateway.get("envoy-ai-gateway-basic")).isEqualTo(1);
    assertThat(takingPerGateway.values()).containsOnly(1);
    for (Map.Entry<ObjectKey, ResourceStatus> status : routes.entrySet()) {
      JsonNode route =
          cluster.get(WatchedKind.AI_GATEWAY_ROUTE, status.getKey().name()).orElseThrow();
      assertThat(route.at("/status/conditions/0/type").asText())
          .as("%s", status.getKey())
          .isEqualTo(status.getValue().isAccepted() ? "Accepted" : "NotAccepted");
      assertThat(route.at("/status/conditions/0/message").asText())
          .isEqualTo(status.getValue().message());
      assertThat(route.at("/status/conditions/0/observedGeneration").asLong())
          .isEqualTo(route.at("/metadata/generation").asLong());
    }
    assertThat(ControllerHarness.outcomes(controller))
        .noneMatch(o -> o.outcome() == Outcome.FAILED);
  }

  @Test
  void aChangedBackendSchemaChangesOnlyThatRoutesConfigMapAndConfigHash() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);
    Map<String, String> before = versions();
    String extProc = "ai-eg-route-extproc-" + OPENAI_ROUTE;
    String hashBefore =
        cluster
            .owned()
            .get(new ObjectKey("apps", "Deployment", cluster.namespace, extProc))
            .at("/spec/template/metadata/annotations/aigateway.envoyproxy.io~1extproc-config-hash")
            .asText();

    JsonNode backend = cluster.get(WatchedKind.AI_SERVICE_BACKEND, OPENAI_ROUTE).orElseThrow();
    cluster.apply(
        io.aigw.core.codec.CanonicalJson.write(backend)
            .replace(
                "\"name\":\"OpenAI\"",
                "\"name\":\"AzureOpenAI\",\"version\":\"2025-01-01-preview\""));
    await().ignoreExceptions().atMost(CHAIN).until(() -> !versions().equals(before));
    cluster.awaitConverged(controller);

    Map<String, String> after = versions();
    List<String> changed =
        after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).sorted().toList();
    assertThat(changed)
        .containsExactly(
            "ConfigMap " + cluster.namespace + "/" + extProc,
            "Deployment " + cluster.namespace + "/" + extProc);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    String hashAfter =
        cluster
            .owned()
            .get(new ObjectKey("apps", "Deployment", cluster.namespace, extProc))
            .at("/spec/template/metadata/annotations/aigateway.envoyproxy.io~1extproc-config-hash")
            .asText();
    assertThat(hashAfter).isNotEqualTo(hashBefore);
  }

  private String extProcConfig(String name) {
    return cluster
        .kubectl
        .configMaps()
        .inNamespace(cluster.namespace)
        .withName(name)
        .get()
        .getData()
        .get("extproc-config.yaml");
  }

  @Test
  void aDeletedOrEditedGeneratedObjectIsRepairedWithoutWaitingForTheDriftCheck() throws Exception {
    cluster.apply(examples().resolve("basic/openai.yaml"));
    // the harness turns the drift check off: only the watch of generated objects can repair
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);
    String extProc = "ai-eg-route-extproc-" + OPENAI_ROUTE;
    String config = extProcConfig(extProc);

    cluster.kubectl.apps().deployments().inNamespace(cluster.namespace).withName(extProc).delete();
    cluster
        .kubectl
        .configMaps()
        .inNamespace(cluster.namespace)
        .withName(extProc)
        .edit(
            map -> {
              map.getData().put("extproc-config.yaml", "tampered");
              return map;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                cluster
                            .kubectl
                            .apps()
                            .deployments()
                            .inNamespace(cluster.namespace)
                            .withName(extProc)
                            .get()
                        != null
                    && config.equals(extProcConfig(extProc)));
    assertThat(ControllerHarness.outcomes(controller).stream().map(ApplyOutcome::describe).toList())
        .contains(
            "Created Deployment "
                + cluster.namespace
                + "/"
                + extProc
                + ": drift: the live object was missing",
            "Patched ConfigMap "
                + cluster.namespace
                + "/"
                + extProc
                + ": drift: the live object differed from the desired one");
  }

  @Test
  void aDeletedRouteLosesItsResources() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);
    int before = cluster.owned().size();

    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    await().ignoreExceptions().atMost(CHAIN).until(() -> cluster.owned().size() == before - 7);
    cluster.awaitConverged(controller);

    assertThat(cluster.owned().keySet()).noneMatch(key -> key.name().endsWith(OPENAI_ROUTE));
    assertThat(ControllerHarness.outcomes(controller))
        .filteredOn(o -> o.outcome() == Outcome.DELETED)
        .hasSize(7);
  }

  /** Puts upstream's finalizer on an object, as upstream's controller did before aigw took over. */
  void addUpstreamFinalizer(WatchedKind kind, String name) {
    patch(
        kind,
        name,
        PatchType.JSON_MERGE,
        "{\"metadata\":{\"finalizers\":[\"example.com/other\",\""
            + UpstreamFinalizers.FINALIZER
            + "\"]}}");
  }

  /** Takes off the finalizer the test added beside upstream's, which nobody else would. */
  void removeOtherFinalizer(WatchedKind kind, String name) {
    patch(
        kind,
        name,
        PatchType.JSON,
        "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/0\",\"value\":\"example.com/other\"},"
            + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]");
  }

  private void patch(WatchedKind kind, String name, PatchType type, String body) {
    cluster
        .kubectl
        .genericKubernetesResources(kind.context())
        .inNamespace(cluster.namespace)
        .withName(name)
        .patch(PatchContext.of(type), body);
  }

  int finalizers(WatchedKind kind, String name) {
    return cluster.get(kind, name).map(o -> o.at("/metadata/finalizers").size()).orElse(-1);
  }

  @Test
  void objectsWithUpstreamsFinalizerAreDeletedAndTheirResourcesPruned() throws Exception {
    applyExamples();
    String backend = "envoy-ai-gateway-basic-azure";
    addUpstreamFinalizer(WatchedKind.AI_SERVICE_BACKEND, backend);
    addUpstreamFinalizer(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    // deleted while no aigw runs: the new leader finds it being deleted in the fold
    cluster.delete(WatchedKind.AI_SERVICE_BACKEND, backend);
    JsonNode deleting = cluster.get(WatchedKind.AI_SERVICE_BACKEND, backend).orElseThrow();
    assertThat(deleting.at("/metadata/deletionTimestamp").isTextual()).isTrue();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);
    int before = cluster.owned().size();
    // aigw releases only upstream's finalizer: the other one still holds the delete back
    await().atMost(CHAIN).until(() -> finalizers(WatchedKind.AI_SERVICE_BACKEND, backend) == 1);
    removeOtherFinalizer(WatchedKind.AI_SERVICE_BACKEND, backend);
    await().atMost(CHAIN).until(() -> finalizers(WatchedKind.AI_SERVICE_BACKEND, backend) == -1);

    // deleted while aigw leads: the route's resources go as soon as the delete begins
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    await().ignoreExceptions().atMost(CHAIN).until(() -> cluster.owned().size() == before - 7);
    await().atMost(CHAIN).until(() -> finalizers(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE) == 1);
    assertThat(controller.host().current().statuses().keySet())
        .as("an object being deleted gets no status")
        .doesNotContain(
            new ObjectKey(
                "aigateway.envoyproxy.io", "AIGatewayRoute", cluster.namespace, OPENAI_ROUTE));
    removeOtherFinalizer(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    await().atMost(CHAIN).until(() -> finalizers(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE) == -1);
    cluster.awaitConverged(controller);
    assertThat(cluster.owned().keySet()).noneMatch(key -> key.name().endsWith(OPENAI_ROUTE));
  }

  @Test
  void aGatewayConfigShapesTheExtProcOfItsGatewaysRoutesAndGetsItsStatus() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);

    cluster.apply(
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: GatewayConfig
        metadata: {name: tracing}
        spec:
          extProc:
            kubernetes:
              env: [{name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://collector:4318"}]
              resources: {requests: {cpu: 250m, memory: 512Mi}}
          globalLLMRequestCosts: [{metadataKey: billing, type: TotalToken}]
          forwardProxy: {address: "proxy:3128"}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata:
          name: envoy-ai-gateway-basic
          annotations: {aigateway.envoyproxy.io/gateway-config: tracing}
        spec:
          gatewayClassName: envoy-ai-gateway-basic
          listeners: [{name: http, protocol: HTTP, port: 80}]
        """);
    String extProc = "ai-eg-route-extproc-" + OPENAI_ROUTE;
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(
            () ->
                cluster
                    .owned()
                    .get(ResourceType.DEPLOYMENT.key(cluster.namespace, extProc))
                    .at("/spec/template/spec/containers/0/env")
                    .toString()
                    .contains("http://collector:4318"));
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(
            () -> condition(WatchedKind.GATEWAY_CONFIG, "tracing", "type").equals("NotAccepted"));
    cluster.awaitConverged(controller);

    Map<ObjectKey, JsonNode> owned = cluster.owned();
    JsonNode container =
        owned
            .get(ResourceType.DEPLOYMENT.key(cluster.namespace, extProc))
            .at("/spec/template/spec/containers/0");
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("250m");
    assertThat(configMapData(extProc)).contains("billing");
    JsonNode condition =
        cluster.get(WatchedKind.GATEWAY_CONFIG, "tracing").orElseThrow().at("/status/conditions/0");
    assertThat(condition.path("reason").asText()).isEqualTo("NotAccepted");
    assertThat(condition.path("message").asText()).startsWith("spec.forwardProxy: not applied");
  }

  @Test
  void aQuotaPolicyReachesTheConfigOfItsBackendsRouteAndGetsItsStatus() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);

    cluster.apply(
        """
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: budget}
        spec:
          targetRefs:
            - {group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: envoy-ai-gateway-basic-openai}
          perModelQuotas:
            - modelName: gpt-4o-mini
              quota:
                costExpression: "input_tokens + output_tokens * 4u"
                defaultBucket: {limit: 100000, duration: 1h}
        """);
    String extProc = "ai-eg-route-extproc-" + OPENAI_ROUTE;
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(() -> configMapData(extProc).contains("input_tokens + output_tokens * 4u"));
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(
            () ->
                condition(WatchedKind.QUOTA_POLICY, "budget", "message")
                    .equals("QuotaPolicy reconciled successfully"));
    cluster.awaitConverged(controller);
    assertThat(configMapData(extProc)).contains("policy: " + cluster.namespace + "/budget");
  }

  @Test
  void anInvalidRouteIsNotAcceptedNamingTheFieldAndTheOthersAreUnaffected() throws Exception {
    applyExamples();
    KubernetesController controller = cluster.start("data", "replica-a");
    cluster.awaitConverged(controller);
    JsonNode openAiCondition =
        cluster
            .get(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE)
            .orElseThrow()
            .at("/status/conditions/0");
    Map<String, String> before = versions();

    cluster.apply(
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: broken}
        spec:
          parentRefs: [{name: envoy-ai-gateway-basic}]
          rules: [{backendRefs: [{name: no-such-backend}]}]
          llmRequestCosts: [{metadataKey: cost, type: CEL, cel: "input_tokens +"}]
        """);
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(
            () -> condition(WatchedKind.AI_GATEWAY_ROUTE, "broken", "type").equals("NotAccepted"));
    cluster.awaitConverged(controller);

    String message =
        cluster
            .get(WatchedKind.AI_GATEWAY_ROUTE, "broken")
            .orElseThrow()
            .at("/status/conditions/0/message")
            .asText();
    assertThat(message).contains("spec.");
    Map<String, String> after = versions();
    before.forEach((key, version) -> assertThat(after.get(key)).as(key).isEqualTo(version));
    assertThat(
            cluster
                .get(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE)
                .orElseThrow()
                .at("/status/conditions/0"))
        .isEqualTo(openAiCondition);
  }

  @Test
  void apiFaultsAndDroppedWatchesStillConvergeWithNothingDuplicatedOrMissing() throws Exception {
    FaultProxy proxy = cluster.proxy();
    // each watch dropped within 3 s: within 1.5 s, with the eight kinds watched now, objects
    // written meanwhile never reached the controller in four runs of four, while the old six
    // converged (the server's side of every dropped watch stays open, see FaultProxy.drop)
    proxy.faults(new FaultProxy.Faults(0.15, 0.10, Duration.ofMillis(3000)));
    KubernetesController controller = cluster.start("data", "replica-a");
    applyExamples();
    await().atMost(Duration.ofSeconds(60)).until(() -> proxy.droppedWatches.get() >= 6);
    cluster.awaitConverged(controller);
    proxy.faults(FaultProxy.Faults.NONE);
    cluster.awaitConverged(controller);

    Map<ObjectKey, DesiredResource> desired = controller.host().current().desired();
    Map<ObjectKey, JsonNode> live = cluster.owned();
    assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(desired.keySet());
    desired.forEach(
        (key, resource) ->
            assertThat(AppliedObject.of(resource.object()).matches(live.get(key)))
                .as("%s", key)
                .isTrue());
    assertThat(proxy.serverErrors.get() + proxy.conflicts.get()).isPositive();
    assertThat(controller.applierStatus().orElseThrow().retries()).isPositive();
    ControllerHarness.assertNoRepeats(controller);
  }

  @Test
  void aRestartOnTheSameDataDirectoryWritesNothing() throws Exception {
    applyExamples();
    FaultProxy proxy = cluster.proxy();
    KubernetesController first = cluster.start("data", "replica-a");
    cluster.awaitConverged(first);
    int firstOutcomes = ControllerHarness.outcomes(first).size();
    cluster.stop(first);
    proxy.clearWrites();

    KubernetesController second = cluster.start("data", "replica-a");
    cluster.awaitConverged(second);

    // the Lease, and the Event of a failed rotation: the examples' OIDC policies are pointed at a
    // closed port
    assertThat(proxy.writes())
        .allMatch(
            write ->
                write.contains("/leases")
                    || write.startsWith(
                        "POST /api/v1/namespaces/" + cluster.namespace + "/events"));
    List<ApplyOutcome> all = ControllerHarness.outcomes(second);
    List<ApplyOutcome> fresh = all.subList(firstOutcomes, all.size());
    int statuses = second.host().current().statuses().size();
    assertThat(fresh)
        .hasSize(second.host().current().desired().size() + statuses)
        .allMatch(o -> o.outcome() == Outcome.NOOP);
  }

  /** Replicas a, leading and converged, and b, standing by, on the examples; a first. */
  private List<KubernetesController> leaderAndStandby() throws Exception {
    applyExamples();
    KubernetesController a = cluster.start("data-a", "replica-a");
    await().atMost(CHAIN).until(a::isLeader);
    KubernetesController b = cluster.start("data-b", "replica-b");
    cluster.awaitConverged(a);
    return List.of(a, b);
  }

  /** Waits until the cluster holds none of the OpenAI route's generated objects. */
  private void awaitOpenAiRoutePruned() {
    await()
        .ignoreExceptions()
        .atMost(CHAIN)
        .until(
            () ->
                cluster.owned().keySet().stream()
                    .noneMatch(key -> key.name().endsWith(OPENAI_ROUTE)));
  }

  @Test
  void aLeaderWhoseLogFailsGivesUpTheLeaseAndTheStandbyTakesOver() throws Exception {
    List<KubernetesController> replicas = leaderAndStandby();
    KubernetesController a = replicas.get(0);
    KubernetesController b = replicas.get(1);

    // the disk under a's log goes: its next append, of the delete below, is refused
    a.log().close();
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    await().atMost(CHAIN).until(() -> a.failure().isPresent());

    // a's Lease would otherwise be renewed until a liveness probe restarted it
    await().atMost(CHAIN).until(b::isLeader);
    assertThat(a.isLeader()).isFalse();
    assertThat(a.applier()).as("a failed controller applies nothing").isEmpty();
    ControllerProbes probes = new ControllerProbes(a);
    assertThat(a.isReady()).as("/readyz").isFalse();
    assertThat(probes.metrics()).contains("aigw_controller_ready 0");
    assertThat(probes.status().containsKey("leaseHolder"))
        .as("a closed election names no holder it can no longer see")
        .isFalse();
    cluster.awaitConverged(b);
    awaitOpenAiRoutePruned();
  }

  @Test
  void twoControllersOnOneLeaseApplyFromOneAndTheOtherTakesOver() throws Exception {
    List<KubernetesController> replicas = leaderAndStandby();
    KubernetesController a = replicas.get(0);
    KubernetesController b = replicas.get(1);

    assertThat(b.isLeader()).isFalse();
    assertThat(b.applier()).isEmpty();
    assertThat(ControllerHarness.outcomes(b)).isEmpty();
    assertThat(b.host().current().desired().keySet())
        .isEqualTo(a.host().current().desired().keySet());

    cluster.stop(a);
    await().atMost(CHAIN).until(b::isLeader);
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, OPENAI_ROUTE);
    cluster.awaitConverged(b);
    awaitOpenAiRoutePruned();

    assertThat(ControllerHarness.outcomes(b))
        .filteredOn(o -> o.outcome() == Outcome.DELETED)
        .hasSize(7);
  }
}
