package io.aigw.projections.gateway;

import static io.aigw.projections.gateway.GatewayProjectionTest.BACKEND;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE;
import static io.aigw.projections.gateway.GatewayProjectionTest.ROUTE_KEY;
import static io.aigw.projections.gateway.GatewayProjectionTest.desiredKey;
import static io.aigw.projections.gateway.GatewayProjectionTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.desired.ExtProcSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A GatewayConfig reaches the routes of every Gateway whose annotation names it: their costs, their
 * ExtProc container, their status; and its own status says what of it aigw cannot apply.
 */
class GatewayConfigFoldTest {

  static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: default
        annotations: {aigateway.envoyproxy.io/gateway-config: shared}
      spec:
        gatewayClassName: eg
        listeners: [{name: http, protocol: HTTP, port: 80}]
      """;

  static final String CONFIG =
      """
      apiVersion: aigateway.envoyproxy.io/v1alpha1
      kind: GatewayConfig
      metadata: {name: shared, namespace: default, generation: 2}
      spec:
        extProc:
          kubernetes:
            env:
            - {name: AIGW_LOG_LEVEL, value: debug}
            - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://collector:4318"}
            - name: OTEL_EXPORTER_OTLP_HEADERS
              valueFrom: {secretKeyRef: {name: otel, key: headers}}
            resources:
              requests: {cpu: "0.5", memory: 1024Mi}
              limits: {memory: 2Gi, ephemeral-storage: 2000M}
            securityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}
            imageRepository: registry.example.com/mirror/aigw
        globalLLMRequestCosts:
        - {metadataKey: llm_total_token, type: TotalToken}
        - {metadataKey: billing, type: CEL, cel: "input_tokens + output_tokens * uint(3)"}
      """;

  static final String ROUTE_WITH_COST =
      ROUTE + "  llmRequestCosts: [{metadataKey: llm_total_token, type: OutputToken}]\n";

  static final ObjectKey CONFIG_KEY =
      new ObjectKey("aigateway.envoyproxy.io", "GatewayConfig", "default", "shared");
  static final ObjectKey DEPLOYMENT =
      desiredKey("apps/v1", "Deployment", "ai-eg-route-extproc-chat");

  final GatewayProjection projection =
      new GatewayProjection(
          new ExtProcSettings(
              "ghcr.io/aigw/aigw:1.4.2", "IfNotPresent", "info", settingsResources(), 0));

  GatewayState fold(Fixtures.Log log) {
    return projection.applyAll(projection.initial(), log.entries());
  }

  GatewayState foldOn(GatewayState state, Fixtures.Log log) {
    return Fixtures.foldReadingEach(projection, state, log);
  }

  private static io.aigw.projections.desired.ExtProcResources settingsResources() {
    return new io.aigw.projections.desired.ExtProcResources(
        java.util.Optional.of("2"), java.util.Optional.of("1Gi"));
  }

  static JsonNode container(GatewayState state) {
    return state.desired().get(DEPLOYMENT).object().at("/spec/template/spec/containers/0");
  }

  static List<String> envNames(JsonNode container) {
    List<String> names = new ArrayList<>();
    container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
    return names;
  }

  @Test
  void theRoutesOfAGatewayNamingAGatewayConfigGetItsCostsAndItsExtProcContainer() {
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE_WITH_COST + "---\n" + BACKEND + "---\n" + GATEWAY)
                .upsert(CONFIG));

    // the route's own cost wins over the global one with its key; the others follow it
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts())
        .containsExactly(
            new LlmRequestCost("llm_total_token", LlmRequestCost.Type.OutputToken, null),
            new LlmRequestCost(
                "billing", LlmRequestCost.Type.CEL, "input_tokens + output_tokens * uint(3)"));

    JsonNode container = container(state);
    // the repository with the release's own tag
    assertThat(container.path("image").asText())
        .isEqualTo("registry.example.com/mirror/aigw:1.4.2");
    // a name given again replaces the controller's where it stands, the others follow
    assertThat(envNames(container))
        .containsExactly(
            "AIGW_LOG_LEVEL", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS");
    assertThat(container.at("/env/0/value").asText()).isEqualTo("debug");
    assertThat(container.at("/env/2/valueFrom/secretKeyRef/key").asText()).isEqualTo("headers");
    // the GatewayConfig's resources instead of the controller's, as the API server stores them
    assertThat(container.path("resources").toString())
        .isEqualTo(
            "{\"limits\":{\"ephemeral-storage\":\"2G\",\"memory\":\"2Gi\"},"
                + "\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}}");
    assertThat(container.path("securityContext").toString())
        .isEqualTo("{\"readOnlyRootFilesystem\":true,\"runAsNonRoot\":true}");

    assertThat(state.statuses().get(CONFIG_KEY).conditions().get(0))
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo("Accepted");
              assertThat(c.reason()).isEqualTo("Accepted");
              assertThat(c.message()).isEqualTo("GatewayConfig reconciled successfully");
            });
    assertThat(state.statuses().get(CONFIG_KEY).observedGeneration()).isEqualTo(2);
    assertThat(message(state, ROUTE_KEY)).isEqualTo("AI Gateway Route reconciled successfully");
    // the Gateway's and the GatewayConfig's entries shaped the Deployment
    DesiredResource deployment = state.desired().get(DEPLOYMENT);
    assertThat(deployment.provenance()).contains(3L, 4L);
  }

  @Test
  void aRouteOfNoGatewayConfigKeepsTheControllersContainer() {
    GatewayState state =
        fold(new Fixtures.Log().upsert(ROUTE_WITH_COST + "---\n" + BACKEND).upsert(CONFIG));

    JsonNode container = container(state);
    assertThat(container.path("image").asText()).isEqualTo("ghcr.io/aigw/aigw:1.4.2");
    assertThat(envNames(container)).containsExactly("AIGW_LOG_LEVEL");
    assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo("2");
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts()).hasSize(1);
    assertThat(state.statuses().get(CONFIG_KEY).isAccepted()).isTrue();
  }

  @Test
  void changingTheGatewayConfigOrTheAnnotationRecomputesTheRoutes() {
    Fixtures.Log log =
        new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + GATEWAY).upsert(CONFIG);
    GatewayState bound = foldOn(projection.initial(), log);
    JsonNode boundDeployment = bound.desired().get(DEPLOYMENT).object();

    GatewayState changed =
        foldOn(
            bound,
            log.upsert(CONFIG.replace("registry.example.com/mirror/aigw", "mirror.local/aigw")));
    assertThat(container(changed).path("image").asText()).isEqualTo("mirror.local/aigw:1.4.2");

    GatewayState unbound =
        foldOn(
            changed,
            log.upsert(GATEWAY.replace("aigateway.envoyproxy.io/gateway-config: shared", "a: b")));
    assertThat(container(unbound).path("image").asText()).isEqualTo("ghcr.io/aigw/aigw:1.4.2");
    assertThat(unbound.filterConfigs().get(ROUTE_KEY).llmRequestCosts()).isEmpty();

    GatewayState again = foldOn(unbound, log.upsert(GATEWAY.replace("port: 80", "port: 8080")));
    assertThat(container(again).path("image").asText()).isEqualTo("mirror.local/aigw:1.4.2");

    GatewayState deleted = foldOn(again, log.delete(CONFIG));
    assertThat(container(deleted).path("image").asText()).isEqualTo("ghcr.io/aigw/aigw:1.4.2");
    assertThat(message(deleted, ROUTE_KEY))
        .isEqualTo(
            "spec.parentRefs: Gateway default/gw names GatewayConfig default/shared, not found");
    // every state read along the way equals the same log folded from zero
    assertThat(deleted).isEqualTo(fold(log));
    assertThat(deleted.statuses()).doesNotContainKey(CONFIG_KEY);
    assertThat(boundDeployment).isNotEqualTo(deleted.desired().get(DEPLOYMENT).object());
  }

  @Test
  void whatAigwCannotApplyIsNamedInTheStatusAndTheRestApplies() {
    String config =
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: GatewayConfig
        metadata: {name: shared, namespace: default}
        spec:
          extProc:
            kubernetes:
              env:
              - {name: GOOD, value: "1"}
              - {name: "A=B", value: "2"}
              - {name: BOTH, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
              - {name: NO_KEY, valueFrom: {secretKeyRef: {name: s}}}
              - name: CPU_MILLIS
                valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 0.001}}
              - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}
              - {name: HALF, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 500m}}}
              - {name: GPU, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}
              resources:
                limits: {cpu: 1.5, memory: 1.5Gi, ephemeral-storage: 1Gi, example.com/a: [1]}
                requests: {ephemeral-storage: 2Gi, nvidia.com/gpu: 1, cpu: ~}
              volumeMounts: [{name: certs, mountPath: /certs}]
          globalLLMRequestCosts:
          - {metadataKey: bad, type: CEL, cel: "input_tokens +"}
          - {metadataKey: good, type: InputToken}
          forwardProxy: {address: "proxy:3128"}
        """;
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + GATEWAY)
                .upsert(config));

    String status = message(state, CONFIG_KEY);
    assertThat(state.statuses().get(CONFIG_KEY).conditions().get(0).reason())
        .isEqualTo("NotAccepted");
    assertThat(status)
        .contains("spec.globalLLMRequestCosts[0].cel: CEL expression \"input_tokens +\"")
        .contains("spec.extProc.kubernetes.env[1]: not applied: a variable's name must be letters")
        .contains("spec.extProc.kubernetes.env[2]: not applied: value and valueFrom cannot both")
        .contains("spec.extProc.kubernetes.env[3]: not applied: valueFrom.secretKeyRef.key must")
        .contains(
            "spec.extProc.kubernetes.resources.requests.ephemeral-storage: not applied: more than"
                + " its limit")
        .contains("env[5]: not applied: valueFrom.fieldRef.fieldPath spec.hostname is not")
        .contains("resources.limits.example.com/a: not applied: not a quantity: ARRAY")
        .contains("resources.requests.cpu: not applied: not a quantity: NULL")
        .contains("env[6]: not applied: valueFrom.resourceFieldRef.divisor 500m is not supported")
        .contains("env[7]: not applied: valueFrom.resourceFieldRef.resource limits.gpu is not")
        .contains(
            "resources.requests.nvidia.com/gpu: not applied: a request of nvidia.com/gpu must equal"
                + " its limit")
        .contains(
            "spec.extProc.kubernetes.resources.limits.memory: not applied: quantity \"1.5Gi\"")
        .contains("spec.extProc.kubernetes.volumeMounts: not applied")
        .contains("spec.forwardProxy: not applied");
    JsonNode container = container(state);
    assertThat(envNames(container)).containsExactly("AIGW_LOG_LEVEL", "GOOD", "CPU_MILLIS");
    // written as the API server stores it, or the live Deployment would never read back equal
    assertThat(container.at("/env/2/valueFrom/resourceFieldRef/divisor").asText()).isEqualTo("1m");
    assertThat(container.path("resources").toString())
        .isEqualTo("{\"limits\":{\"cpu\":\"1500m\",\"ephemeral-storage\":\"1Gi\"}}");
    assertThat(container.path("volumeMounts").toString()).doesNotContain("certs");
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts())
        .containsExactly(new LlmRequestCost("good", LlmRequestCost.Type.InputToken, null));
    // the route works as configured: what is wrong is the GatewayConfig's to say
    assertThat(state.statuses().get(ROUTE_KEY).isAccepted()).isTrue();
  }

  @Test
  void aRouteFollowsItsFirstParentNamingAGatewayConfigAndSaysSoOfTheOthers() {
    String second =
        GATEWAY.replace("name: gw\n", "name: gw2\n").replace("config: shared", "config: other");
    String route =
        ROUTE.replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw}, {name: gw2}]");
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(route + "---\n" + BACKEND + "---\n" + GATEWAY + "---\n" + second)
                .upsert(CONFIG)
                .upsert(CONFIG.replace("name: shared", "name: other")));

    assertThat(container(state).path("image").asText())
        .isEqualTo("registry.example.com/mirror/aigw:1.4.2");
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "spec.parentRefs[1]: Gateway default/gw2 names GatewayConfig default/other, but the"
                + " route's ExtProc follows GatewayConfig default/shared of Gateway default/gw, its"
                + " first parent to name one");
  }

  @Test
  void aGatewayConfigOfAnotherNamespaceGivesItsCostsButNotItsContainer() {
    String gateway = GATEWAY.replace("namespace: default", "namespace: infra");
    String config = CONFIG.replace("namespace: default", "namespace: infra");
    String route =
        ROUTE.replace("parentRefs: [{name: gw}]", "parentRefs: [{name: gw, namespace: infra}]");
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(route + "---\n" + BACKEND + "---\n" + gateway)
                .upsert(config));

    assertThat(container(state).path("image").asText()).isEqualTo("ghcr.io/aigw/aigw:1.4.2");
    assertThat(envNames(container(state))).containsExactly("AIGW_LOG_LEVEL");
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts())
        .extracting(LlmRequestCost::metadataKey)
        .containsExactly("llm_total_token", "billing");
    assertThat(message(state, ROUTE_KEY))
        .isEqualTo(
            "spec.parentRefs: GatewayConfig infra/shared of Gateway infra/gw: its"
                + " extProc.kubernetes applies to the routes of namespace infra only, since it"
                + " would choose the image, and the Secrets read, of this namespace's ExtProc"
                + " pods; its global costs apply");
  }

  @Test
  void aRouteCostThatDoesNotCompileStillKeepsTheGlobalCostOfItsKeyOut() {
    String route =
        ROUTE + "  llmRequestCosts: [{metadataKey: billing, type: CEL, cel: \"input_tokens +\"}]\n";
    GatewayState state =
        fold(
            new Fixtures.Log()
                .upsert(route + "---\n" + BACKEND + "---\n" + GATEWAY)
                .upsert(CONFIG));

    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts())
        .extracting(LlmRequestCost::metadataKey)
        .containsExactly("llm_total_token");
    assertThat(message(state, ROUTE_KEY)).startsWith("spec.llmRequestCosts[0].cel:");
  }

  @Test
  void busyPollingStaysOffForAContainerWithoutACpuLimit() {
    GatewayProjection polling =
        new GatewayProjection(
            new ExtProcSettings(
                "ghcr.io/aigw/aigw:1.4.2", "IfNotPresent", "info", settingsResources(), 500));
    Fixtures.Log log =
        new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + GATEWAY).upsert(CONFIG);
    GatewayState state = polling.applyAll(polling.initial(), log.entries());

    assertThat(container(state).path("args").toString()).doesNotContain("busy-poll");
    assertThat(message(state, CONFIG_KEY))
        .isEqualTo(
            "spec.extProc.kubernetes.resources: sets no CPU limit, so the ExtProcs of the routes"
                + " it shapes do not busy-poll (AIGW_EXTPROC_BUSY_POLL needs one)");

    GatewayState withLimit =
        polling.applyAll(
            polling.initial(),
            log.upsert(CONFIG.replace("limits: {", "limits: {cpu: 2, ")).entries());
    assertThat(container(withLimit).path("args").toString()).contains("\"--busy-poll\",\"500\"");
    assertThat(withLimit.statuses().get(CONFIG_KEY).isAccepted()).isTrue();
  }

  @Test
  void aigwRunSaysItAppliesNoContainerSettingsButRecordsTheCosts() {
    GatewayProjection run =
        new GatewayProjection(ExtProcSettings.DEFAULT, ExtProcScope.EVERY_ROUTE);
    GatewayState state =
        run.applyAll(
            run.initial(),
            new Fixtures.Log()
                .upsert(ROUTE + "---\n" + BACKEND + "---\n" + GATEWAY)
                .upsert(CONFIG)
                .entries());

    assertThat(message(state, CONFIG_KEY))
        .isEqualTo(
            "spec.extProc.kubernetes: not applied: aigw run serves every route from its own"
                + " process and runs no ExtProc pods");
    assertThat(state.filterConfigs().get(ROUTE_KEY).llmRequestCosts()).hasSize(2);
  }

  @Test
  void anInvalidGatewayConfigIsReportedAndItsLastValidVersionStays() {
    Fixtures.Log log =
        new Fixtures.Log().upsert(ROUTE + "---\n" + BACKEND + "---\n" + GATEWAY).upsert(CONFIG);
    GatewayState state =
        fold(
            log.upsert(
                CONFIG.replace(
                    "imageRepository: registry.example.com/mirror/aigw", "image: \"x:\"")));

    assertThat(message(state, CONFIG_KEY))
        .isEqualTo(
            "spec.extProc.kubernetes: Invalid value: \"object\": Image must include a tag and"
                + " allowed characters only (e.g., 'repo:tag').");
    assertThat(container(state).path("image").asText())
        .isEqualTo("registry.example.com/mirror/aigw:1.4.2");
  }
}
