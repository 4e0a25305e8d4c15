package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overlay for some namespaces only: the base's ClusterRole bound in exactly the namespaces the
 * controller is told to watch, and nowhere cluster-wide.
 */
class NamespacedOverlayTest {

  private static final Path OVERLAY =
      InstallManifests.root().resolve("deploy/kubernetes/namespaced");

  private static JsonNode kustomization;
  private static List<JsonNode> patches;
  private static List<JsonNode> bindings;

  @BeforeAll
  static void load() throws Exception {
    kustomization = InstallManifests.single(OVERLAY.resolve("kustomization.yaml"));
    patches = new ArrayList<>();
    for (JsonNode patch : kustomization.path("patches")) {
      patches.add(InstallManifests.single(OVERLAY.resolve(patch.path("path").asText())));
    }
    bindings = new ArrayList<>();
    for (var document :
        YamlDocuments.parse(Files.readString(OVERLAY.resolve("rolebindings.yaml")))) {
      bindings.add(document.node());
    }
  }

  private static JsonNode patchOf(String kind) {
    return patches.stream()
        .filter(p -> p.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  @Test
  void theClusterWideBindingIsDeletedAndTheBaseKept() throws Exception {
    assertThat(texts(kustomization.path("resources")))
        .containsExactly("../base", "rolebindings.yaml");
    JsonNode delete = patchOf("ClusterRoleBinding");
    assertThat(delete.path("$patch").asText()).isEqualTo("delete");
    assertThat(delete.at("/metadata/name").asText()).isEqualTo("aigw-controller");
    assertThat(InstallManifests.one("ClusterRoleBinding", "aigw-controller")).isNotNull();
  }

  @Test
  void everyWatchedNamespaceAndOnlyThoseGetTheClusterRole() throws Exception {
    JsonNode deployment = InstallManifests.one("Deployment", "aigw-controller").node();
    JsonNode patch = patchOf("Deployment");
    assertThat(patch.at("/metadata/name").asText())
        .isEqualTo(deployment.at("/metadata/name").asText());
    assertThat(patch.at("/metadata/namespace").asText())
        .isEqualTo(deployment.at("/metadata/namespace").asText());
    JsonNode container = patch.at("/spec/template/spec/containers/0");
    assertThat(container.path("name").asText())
        .isEqualTo(deployment.at("/spec/template/spec/containers/0/name").asText());
    List<String> args = texts(container.path("args"));
    // the base's arguments, then the namespaces
    List<String> base = texts(deployment.at("/spec/template/spec/containers/0/args"));
    assertThat(args.subList(0, base.size())).isEqualTo(base);
    Set<String> watched = new TreeSet<>();
    for (int i = base.size(); i < args.size(); i += 2) {
      assertThat(args.get(i)).isEqualTo("--namespace");
      watched.add(args.get(i + 1));
    }
    assertThat(watched).isNotEmpty();

    JsonNode account = InstallManifests.one("ServiceAccount", "aigw-controller").node();
    Set<String> granted = new TreeSet<>();
    for (JsonNode binding : bindings) {
      if (!binding.path("kind").asText().equals("RoleBinding")
          || !binding.at("/roleRef/kind").asText().equals("ClusterRole")) {
        continue;
      }
      assertThat(binding.at("/roleRef/name").asText()).isEqualTo("aigw-controller");
      assertThat(binding.at("/subjects/0/name").asText())
          .isEqualTo(account.at("/metadata/name").asText());
      assertThat(binding.at("/subjects/0/namespace").asText())
          .isEqualTo(account.at("/metadata/namespace").asText());
      granted.add(binding.at("/metadata/namespace").asText());
    }
    assertThat(granted).isEqualTo(watched);
  }

  @Test
  void theControllersOwnNamespaceGetsOnlyWhatItsLogNeeds() {
    JsonNode role =
        bindings.stream()
            .filter(b -> b.path("kind").asText().equals("Role"))
            .findFirst()
            .orElseThrow();
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo("aigw-system");
    assertThat(role.path("rules")).hasSize(1);
    assertThat(texts(role.at("/rules/0/resources"))).containsExactly("configmaps");
    assertThat(texts(role.at("/rules/0/verbs"))).containsExactly("get", "create");
  }
}
