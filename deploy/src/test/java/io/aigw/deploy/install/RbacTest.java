package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.deploy.install.ControllerApiCalls.ApiCall;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The controller's RBAC grants exactly {@link ControllerApiCalls}: least privilege. */
class RbacTest {

  private static final String ACCOUNT = "aigw-controller";
  private static final String NAMESPACE = "aigw-system";

  @Test
  void theClusterRoleGrantsExactlyTheClusterWideCallsTheControllerMakes() throws Exception {
    JsonNode role = InstallManifests.one("ClusterRole", "aigw-controller").node();
    assertThat(granted(role)).containsExactlyInAnyOrderElementsOf(ControllerApiCalls.CLUSTER);
  }

  @Test
  void theLeaseIsTheOnlyPermissionAndConfinedToTheControllerNamespace() throws Exception {
    JsonNode role = InstallManifests.one("Role", "aigw-controller-leader-election").node();
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    assertThat(granted(role))
        .containsExactlyInAnyOrderElementsOf(ControllerApiCalls.CONTROLLER_NAMESPACE);
    assertThat(ControllerApiCalls.CLUSTER)
        .noneMatch(call -> call.group().equals("coordination.k8s.io"));
  }

  @Test
  void noRoleUsesWildcardsResourceNamesOrNonResourceUrls() throws Exception {
    for (String kind : new String[] {"ClusterRole", "Role"}) {
      for (InstallManifests.Manifest manifest : InstallManifests.ofKind(kind)) {
        for (JsonNode rule : manifest.node().path("rules")) {
          assertThat(rule.toString()).as(manifest.name()).doesNotContain("\"*\"");
          assertThat(rule.has("nonResourceURLs")).isFalse();
          assertThat(rule.has("resourceNames")).isFalse();
        }
      }
    }
    assertThat(InstallManifests.ofKind("ClusterRole")).hasSize(1);
    assertThat(InstallManifests.ofKind("Role")).hasSize(1);
  }

  @Test
  void bothRolesAreBoundToTheControllerServiceAccountWhichTheDeploymentRunsAs() throws Exception {
    for (String[] binding :
        new String[][] {
          {"ClusterRoleBinding", "aigw-controller", "ClusterRole"},
          {"RoleBinding", "aigw-controller-leader-election", "Role"}
        }) {
      JsonNode node = InstallManifests.one(binding[0], binding[1]).node();
      assertThat(node.at("/roleRef/kind").asText()).isEqualTo(binding[2]);
      assertThat(node.at("/roleRef/name").asText()).isEqualTo(binding[1]);
      assertThat(node.path("subjects")).hasSize(1);
      assertThat(node.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
      assertThat(node.at("/subjects/0/name").asText()).isEqualTo(ACCOUNT);
      assertThat(node.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
    }
    assertThat(InstallManifests.find("ServiceAccount", ACCOUNT)).isPresent();
    JsonNode deployment = InstallManifests.one("Deployment", "aigw-controller").node();
    assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo(ACCOUNT);
  }

  private static Set<ApiCall> granted(JsonNode role) {
    Set<ApiCall> calls = new HashSet<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            ApiCall call = new ApiCall(group.asText(), resource.asText(), verb.asText());
            assertThat(calls.add(call)).as("granted twice: " + call).isTrue();
          }
        }
      }
    }
    return calls;
  }
}
