package io.aigw.projections.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.model.AIGatewayRoute;
import io.aigw.core.model.AIServiceBackend;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.HTTPRouteTimeouts;
import io.aigw.projections.filterconfig.RouteResolution;
import io.aigw.projections.filterconfig.Versioned;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DesiredResourcesProjectionTest {

  static <T> T read(String yaml, Class<T> type) throws Exception {
    return type.cast(AiResourceReader.read(YamlDocuments.parse(yaml).get(0).node()).orElseThrow());
  }

  static RouteResolution resolution(String routeName, String metadataExtra) throws Exception {
    var route =
        new Versioned<>(
            read(
                """
                apiVersion: aigateway.envoyproxy.io/v1beta1
                kind: AIGatewayRoute
                metadata: {name: %s, namespace: team, uid: u-1%s}
                spec:
                  parentRefs: [{name: gw, namespace: infra, sectionName: https}]
                  hostnames: [ai.example.com]
                  rules: [{backendRefs: [{name: b, namespace: models}]}]
                """
                    .formatted(routeName, metadataExtra),
                AIGatewayRoute.class),
            1);
    var backend =
        new Versioned<>(
            read(
                """
                apiVersion: aigateway.envoyproxy.io/v1beta1
                kind: AIServiceBackend
                metadata: {name: b, namespace: models}
                spec:
                  schema: {name: OpenAI}
                  backendRef: {name: be, kind: Backend, group: gateway.envoyproxy.io, port: 443}
                """,
                AIServiceBackend.class),
            2);
    var resolved =
        new RouteResolution.ResolvedBackend(
            new ObjectKey("aigateway.envoyproxy.io", "AIServiceBackend", "models", "b"),
            backend,
            List.of(new HTTPRouteTimeouts("60s", null)),
            Optional.of(new RouteResolution.SecretMount("bsp-p.q-0123456789", "key")));
    return new RouteResolution(
        route,
        FilterConfig.of("team", routeName, List.of(), List.of(), List.of(), List.of(), List.of()),
        List.of(resolved),
        List.of(),
        new TreeSet<>(List.of(2L)),
        new TreeSet<>(List.of(3L)),
        new TreeSet<>(),
        Optional.empty());
  }

  static Map<String, JsonNode> byKind(List<DesiredResource> resources) {
    Map<String, JsonNode> out = new TreeMap<>();
    resources.forEach(r -> out.merge(r.key().kind(), r.object(), (a, b) -> a));
    return out;
  }

  @Test
  void theHttpRouteCopiesParentRefsHostnamesLabelsAndAnnotationsButNotLastApplied()
      throws Exception {
    var resolution =
        resolution(
            "chat",
            ", labels: {team: a, app.kubernetes.io/managed-by: someone}, annotations: {note: x,"
                + " kubectl.kubernetes.io/last-applied-configuration: '{}'}");
    JsonNode route = byKind(new DesiredResourcesProjection().project(resolution)).get("HTTPRoute");
    assertThat(route.at("/metadata/labels").toString())
        .isEqualTo("{\"app.kubernetes.io/managed-by\":\"aigw\",\"team\":\"a\"}");
    assertThat(route.at("/metadata/annotations").toString())
        .isEqualTo("{\"gateway.envoyproxy.io/ai-gateway-generated\":\"true\",\"note\":\"x\"}");
    assertThat(route.at("/spec/parentRefs").toString())
        .isEqualTo(
            "[{\"group\":\"gateway.networking.k8s.io\",\"kind\":\"Gateway\",\"name\":\"gw\","
                + "\"namespace\":\"infra\",\"sectionName\":\"https\"}]");
    assertThat(route.at("/spec/hostnames/0").asText()).isEqualTo("ai.example.com");
    assertThat(route.at("/spec/rules/0/backendRefs/0").toString())
        .isEqualTo(
            "{\"group\":\"gateway.envoyproxy.io\",\"kind\":\"Backend\",\"name\":\"be\","
                + "\"namespace\":\"models\",\"port\":443}");
    assertThat(route.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("u-1");
  }

  @Test
  void theExtensionPolicyLetsEnvoySendTheNamespacesCredentialOverridesRead() throws Exception {
    RouteResolution plain = resolution("chat", "");
    JsonNode metadata =
        byKind(new DesiredResourcesProjection().project(plain))
            .get("EnvoyExtensionPolicy")
            .at("/spec/extProc/0/metadata");
    assertThat(metadata.toString())
        .as("nothing reads metadata, so Envoy sends none")
        .isEqualTo("{\"writableNamespaces\":[\"io.envoy.ai_gateway\"]}");

    Backend fromMetadata =
        new Backend(
            "models/b/route/chat/rule/0/ref/0",
            new ApiSchema(ApiSchema.Name.OpenAI, null, null),
            null,
            new CredentialOverride(null, "auth.filter", "x-aigw-api-key", false, List.of()));
    RouteResolution reading =
        new RouteResolution(
            plain.route(),
            FilterConfig.of(
                "team", "chat", List.of(), List.of(), List.of(fromMetadata), List.of(), List.of()),
            plain.backends(),
            plain.problems(),
            plain.referenceSeqs(),
            plain.credentialSeqs(),
            new TreeSet<>(List.of(3L)),
            plain.containerConfig());
    DesiredResource policy =
        new DesiredResourcesProjection()
            .project(reading).stream()
                .filter(r -> r.key().kind().equals("EnvoyExtensionPolicy"))
                .findFirst()
                .orElseThrow();
    assertThat(policy.object().at("/spec/extProc/0/metadata/accessibleNamespaces").toString())
        .isEqualTo("[\"auth.filter\"]");
    assertThat(policy.provenance())
        .as("the route and the BackendSecurityPolicy whose override reads metadata")
        .containsExactly(1L, 3L);
  }

  @Test
  void theDeploymentRunsTheConfiguredImageAndMountsEachPolicySecret() throws Exception {
    var settings = new ExtProcSettings("registry.example/aigw:9", "Always", "debug");
    JsonNode deployment =
        byKind(new DesiredResourcesProjection(settings).project(resolution("chat", "")))
            .get("Deployment");
    assertThat(deployment.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.example/aigw:9");
    assertThat(deployment.at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("Always");
    assertThat(deployment.at("/spec/template/spec/containers/0/env/0/value").asText())
        .isEqualTo("debug");
    assertThat(deployment.at("/spec/template/spec/volumes/1").toString())
        .isEqualTo(
            "{\"name\":\"bsp-p.q-0123456789\",\"secret\":{\"optional\":true,\"secretName\":\"key\"}}");
    assertThat(deployment.at("/spec/template/spec/containers/0/volumeMounts/1/mountPath").asText())
        .isEqualTo("/etc/backend_security_policy/bsp-p.q-0123456789");
    // a Service named like an AIGW_* setting must not set it in the pod
    assertThat(deployment.at("/spec/template/spec/enableServiceLinks").isBoolean()).isTrue();
    assertThat(deployment.at("/spec/template/spec/enableServiceLinks").asBoolean()).isFalse();
  }

  @Test
  void aBusyPollWindowIsPassedToTheExtProcAndLeftOutWhenZero() throws Exception {
    var settings =
        new ExtProcSettings(
            ExtProcSettings.DEFAULT_IMAGE, "IfNotPresent", "info", ExtProcResources.NONE, 200);
    assertThat(extProcContainer(settings).path("args").toString())
        .isEqualTo(
            "[\"extproc\",\"--config\",\"/etc/ai-gateway/extproc/extproc-config.yaml\","
                + "\"--shutdown-delay\",\"5\",\"--busy-poll\",\"200\"]");
    assertThat(extProcContainer(ExtProcSettings.DEFAULT).path("args").toString())
        .isEqualTo(
            "[\"extproc\",\"--config\",\"/etc/ai-gateway/extproc/extproc-config.yaml\","
                + "\"--shutdown-delay\",\"5\"]");
    assertThatThrownBy(
            () ->
                new ExtProcSettings(
                    ExtProcSettings.DEFAULT_IMAGE,
                    "IfNotPresent",
                    "info",
                    ExtProcResources.NONE,
                    1_000_001))
        .hasMessageContaining("between 0 and 1000000");
  }

  @Test
  void configuredCpuAndMemoryAreTheContainersRequestsAndLimits() throws Exception {
    var settings =
        new ExtProcSettings(
            ExtProcSettings.DEFAULT_IMAGE,
            "IfNotPresent",
            "info",
            new ExtProcResources(Optional.of("1000m"), Optional.of("1024Mi")),
            0);
    // equal requests and limits make the pod Guaranteed; the quantities as the API server stores
    // them
    assertThat(extProcContainer(settings).path("resources").toString())
        .isEqualTo(
            "{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},"
                + "\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}");
    assertThat(extProcContainer(ExtProcSettings.DEFAULT).has("resources")).isFalse();
  }

  /** The ExtProc container of route "chat"'s Deployment under {@code settings}. */
  @Test
  void theExtProcPodsRunAsTheConfiguredServiceAccountOrTheNamespacesDefault() throws Exception {
    var settings =
        new ExtProcSettings(
            ExtProcSettings.DEFAULT_IMAGE,
            "IfNotPresent",
            "info",
            ExtProcResources.NONE,
            0,
            "bedrock-irsa");
    assertThat(podSpec(settings).path("serviceAccountName").asText()).isEqualTo("bedrock-irsa");
    assertThat(podSpec(ExtProcSettings.DEFAULT).has("serviceAccountName")).isFalse();
    // the default account's token is of no use to the ExtProc; a chosen one may need it
    assertThat(podSpec(ExtProcSettings.DEFAULT).path("automountServiceAccountToken").isBoolean())
        .isTrue();
    assertThat(podSpec(ExtProcSettings.DEFAULT).path("automountServiceAccountToken").asBoolean())
        .isFalse();
    assertThat(podSpec(settings).has("automountServiceAccountToken")).isFalse();
  }

  @Test
  void theKubeletWaitsForTheExtProcsShutdownDelayAndDrain() throws Exception {
    // 5 s unready, then up to 30 s for the streams in flight and 10 s to close: 30 s killed it
    assertThat(podSpec(ExtProcSettings.DEFAULT).path("terminationGracePeriodSeconds").asLong())
        .isEqualTo(50);
  }

  @Test
  void theExtProcPodsRunAsPodSecuritysRestrictedLevelAsks() throws Exception {
    JsonNode pod = podSpec(ExtProcSettings.DEFAULT);
    JsonNode container = extProcContainer(ExtProcSettings.DEFAULT);

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext").has("runAsUser"))
        .as("the image's user: OpenShift refuses an id outside the namespace's range")
        .isFalse();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/capabilities/drop").toString())
        .isEqualTo("[\"ALL\"]");
    // a read-only root: the JVM's and Vert.x's temporary files need a writable /tmp
    assertThat(container.path("volumeMounts").toString())
        .contains("{\"mountPath\":\"/tmp\",\"name\":\"tmp\"}");
    assertThat(pod.path("volumes").toString())
        .contains("{\"emptyDir\":{\"sizeLimit\":\"64Mi\"},\"name\":\"tmp\"}");
  }

  @Test
  void theExtProcImageIsPulledWithTheConfiguredSecrets() throws Exception {
    var settings =
        new ExtProcSettings(
            ExtProcSettings.DEFAULT_IMAGE,
            "IfNotPresent",
            "info",
            ExtProcResources.NONE,
            0,
            "",
            List.of("registry-a", "registry-b"),
            List.of(),
            ApiPaths.DEFAULT);

    assertThat(podSpec(settings).path("imagePullSecrets").toString())
        .isEqualTo("[{\"name\":\"registry-a\"},{\"name\":\"registry-b\"}]");
    assertThat(podSpec(ExtProcSettings.DEFAULT).has("imagePullSecrets")).isFalse();
  }

  @Test
  void theOperatorsVariablesFollowAigwsOwnAndASecretsValueIsOnlyReferenced() throws Exception {
    var settings =
        new ExtProcSettings(
            ExtProcSettings.DEFAULT_IMAGE,
            "IfNotPresent",
            "info",
            ExtProcResources.NONE,
            0,
            "",
            List.of(),
            List.of(
                new io.aigw.core.model.gateway.Deployment.EnvVar(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.observability:4318"),
                io.aigw.core.model.gateway.Deployment.EnvVar.fromSecret(
                    "OTEL_EXPORTER_OTLP_HEADERS", "otel-auth", "headers")),
            ApiPaths.DEFAULT);

    assertThat(extProcContainer(settings).path("env").toString())
        .isEqualTo(
            "[{\"name\":\"AIGW_LOG_LEVEL\",\"value\":\"info\"},"
                + "{\"name\":\"OTEL_EXPORTER_OTLP_ENDPOINT\","
                + "\"value\":\"http://collector.observability:4318\"},"
                + "{\"name\":\"OTEL_EXPORTER_OTLP_HEADERS\","
                + "\"valueFrom\":{\"secretKeyRef\":{\"key\":\"headers\",\"name\":\"otel-auth\","
                + "\"optional\":true}}}]");
    assertThat(extProcContainer(ExtProcSettings.DEFAULT).path("env").toString())
        .isEqualTo("[{\"name\":\"AIGW_LOG_LEVEL\",\"value\":\"info\"}]");
  }

  private JsonNode podSpec(ExtProcSettings settings) throws Exception {
    return byKind(new DesiredResourcesProjection(settings).project(resolution("chat", "")))
        .get("Deployment")
        .at("/spec/template/spec");
  }

  private JsonNode extProcContainer(ExtProcSettings settings) throws Exception {
    return byKind(new DesiredResourcesProjection(settings).project(resolution("chat", "")))
        .get("Deployment")
        .at("/spec/template/spec/containers/0");
  }

  @Test
  void aLongRouteNameGivesExtProcNamesThatStillFitADnsLabel() throws Exception {
    String name = "r".repeat(100);
    List<DesiredResource> resources =
        new DesiredResourcesProjection().project(resolution(name, ""));
    for (DesiredResource resource : resources) {
      if (!resource.key().kind().equals("HTTPRoute")
          && !resource.key().kind().equals("HTTPRouteFilter")) {
        assertThat(resource.key().name()).hasSizeLessThanOrEqualTo(63);
      }
      assertThat(resource.object().at("/metadata/name").asText()).isEqualTo(resource.key().name());
    }
    JsonNode service = byKind(resources).get("Service");
    assertThat(service.at("/spec/selector/app").asText()).hasSizeLessThanOrEqualTo(63);
    // gRPC for Envoy, and the admin port a ServiceMonitor scrapes /metrics on by its name
    JsonNode deployment = byKind(resources).get("Deployment");
    assertThat(service.at("/spec/ports/1/name").asText()).isEqualTo("admin");
    assertThat(service.at("/spec/ports/1/port").asInt())
        .isEqualTo(deployment.at("/spec/template/spec/containers/0/ports/1/containerPort").asInt());
  }

  @Test
  void objectsAreRenderedOnceAndOnlyWhenRead() {
    AtomicInteger renders = new AtomicInteger();
    var key = new ObjectKey("", "ConfigMap", "ns", "n");
    var resource =
        new DesiredResource(
            key,
            () -> {
              renders.incrementAndGet();
              return io.aigw.core.codec.CanonicalJson.read("{\"a\":1}");
            },
            new TreeSet<>(List.of(1L)));
    assertThat(renders).hasValue(0);
    resource.object();
    resource.object();
    assertThat(renders).hasValue(1);
    assertThat(resource)
        .isEqualTo(
            DesiredResource.of(
                key,
                io.aigw.core.codec.CanonicalJson.read("{\"a\":1}"),
                new TreeSet<>(List.of(1L))))
        .isNotEqualTo(
            DesiredResource.of(
                key,
                io.aigw.core.codec.CanonicalJson.read("{\"a\":2}"),
                new TreeSet<>(List.of(1L))));
    assertThat(resource.toString()).isEqualTo("ConfigMap ns/n [1]");
  }
}
