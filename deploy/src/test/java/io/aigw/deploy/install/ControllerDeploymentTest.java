package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller Deployment of the install base: command, probes, storage and hardening. */
class ControllerDeploymentTest {

  private static JsonNode deployment;
  private static JsonNode pod;
  private static JsonNode container;

  @BeforeAll
  static void load() throws Exception {
    deployment = InstallManifests.one("Deployment", "aigw-controller").node();
    pod = deployment.at("/spec/template/spec");
    assertThat(pod.path("containers")).hasSize(1);
    container = pod.at("/containers/0");
  }

  @Test
  void theControllerRunsTheProjectImageWithItsDataOnThePersistentVolume() throws Exception {
    assertThat(texts(container.path("args")))
        .containsExactly("controller", "--data", "/var/lib/aigw", "--admin-port", "8080");
    assertThat(container.path("image").asText()).startsWith("ghcr.io/aigw/aigw:");
    assertThat(env("AIGW_EXTPROC_IMAGE")).isEqualTo(container.path("image").asText());
    // a Service named like an AIGW_* setting must not set it in the pod
    assertThat(pod.path("enableServiceLinks").isBoolean()).isTrue();
    assertThat(pod.path("enableServiceLinks").asBoolean()).isFalse();
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    JsonNode mount = find(container.path("volumeMounts"), "mountPath", "/var/lib/aigw");
    JsonNode volume = find(pod.path("volumes"), "name", mount.path("name").asText());
    String claim = volume.at("/persistentVolumeClaim/claimName").asText();
    JsonNode pvc = InstallManifests.one("PersistentVolumeClaim", claim).node();
    assertThat(texts(pvc.at("/spec/accessModes"))).containsExactly("ReadWriteOnce");
    assertThat(pvc.at("/spec/resources/requests/storage").asText()).isNotEmpty();
    // one writer per log: the old pod must be gone before the new one opens it
    assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void livenessAndReadinessProbeTheAdminPort() throws Exception {
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("admin");
    }
    assertThat(find(container.path("ports"), "name", "admin").path("containerPort").asInt())
        .isEqualTo(8080);
    JsonNode service = InstallManifests.one("Service", "aigw-controller").node();
    assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
    // a replay keeps the CPU busy: the kubelet's default of 1 s would restart a healthy pod
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/timeoutSeconds").asInt()).as(probe).isEqualTo(5);
    }
  }

  @Test
  void theOpenShiftOverlayLeavesTheIdsToTheSccAndKeepsTheRestOfTheHardening() throws Exception {
    Path overlay = InstallManifests.root().resolve("deploy/kubernetes/openshift");
    JsonNode kustomization = InstallManifests.single(overlay.resolve("kustomization.yaml"));
    assertThat(texts(kustomization.path("resources"))).containsExactly("../base");
    assertThat(kustomization.path("patches")).hasSize(1);
    JsonNode patch =
        InstallManifests.single(overlay.resolve(kustomization.at("/patches/0/path").asText()));
    assertThat(patch.path("kind").asText()).isEqualTo("Deployment");
    assertThat(patch.at("/metadata/name").asText())
        .isEqualTo(deployment.at("/metadata/name").asText());
    assertThat(patch.at("/metadata/namespace").asText())
        .isEqualTo(deployment.at("/metadata/namespace").asText());

    JsonNode patched = merged(deployment.deepCopy(), patch);
    JsonNode security = patched.at("/spec/template/spec/securityContext");
    assertThat(security.has("runAsUser")).isFalse();
    assertThat(security.has("runAsGroup")).isFalse();
    assertThat(security.has("fsGroup")).isFalse();
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(patched.at("/spec/template/spec/containers"))
        .isEqualTo(deployment.at("/spec/template/spec/containers"));
  }

  /** A merge patch as kustomize applies one without lists: objects merged, null removes. */
  private static JsonNode merged(JsonNode target, JsonNode patch) {
    patch
        .fields()
        .forEachRemaining(
            field -> {
              ObjectNode into = (ObjectNode) target;
              if (field.getValue().isNull()) {
                into.remove(field.getKey());
              } else if (field.getValue().isObject() && into.path(field.getKey()).isObject()) {
                merged(into.get(field.getKey()), field.getValue());
              } else {
                into.set(field.getKey(), field.getValue());
              }
            });
    return target;
  }

  @Test
  void theContainerIsNonRootWithAReadOnlyRootAndNoCapabilities() {
    JsonNode security = container.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
    assertThat(pod.at("/securityContext/fsGroup").asInt()).isPositive();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    // the JVM and Vert.x need a writable temporary directory
    assertThat(find(container.path("volumeMounts"), "mountPath", "/tmp").path("name").asText())
        .isEqualTo("tmp");
    assertThat(env("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");
  }

  @Test
  void requestsAndAMemoryLimitAreSet() {
    assertThat(container.at("/resources/requests/cpu").asText()).isNotEmpty();
    assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
    assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
  }

  @Test
  void thePodKnowsItsNamespaceForTheLease() {
    JsonNode namespace = find(container.path("env"), "name", "POD_NAMESPACE");
    assertThat(namespace.at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.namespace");
  }

  private static String env(String name) {
    return find(container.path("env"), "name", name).path("value").asText();
  }

  private static JsonNode find(JsonNode list, String field, String value) {
    for (JsonNode item : list) {
      if (item.path(field).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no item with " + field + " " + value + " in " + list);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }
}
