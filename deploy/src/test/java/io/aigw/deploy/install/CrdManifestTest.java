package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The install base parses, and the CRDs declare what upstream's do (control-plane.md §1.1). */
class CrdManifestTest {

  private static final String WARNING =
      "aigateway.envoyproxy.io/v1alpha1 is deprecated; use aigateway.envoyproxy.io/v1beta1 instead";
  private static AiGatewayCrds crds;

  @BeforeAll
  static void load() throws Exception {
    crds = AiGatewayCrds.load();
  }

  @Test
  void everyFileOfTheBaseIsAResourceOfTheKustomizationAndEveryDocumentIsAnObject()
      throws Exception {
    Set<String> listed = new HashSet<>();
    InstallManifests.kustomization().path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new HashSet<>();
    try (Stream<Path> list = Files.list(InstallManifests.base())) {
      list.map(p -> p.getFileName().toString()).forEach(files::add);
    }
    files.removeAll(Set.of("kustomization.yaml", "kustomizeconfig.yaml"));
    assertThat(listed).isEqualTo(files);
    List<InstallManifests.Manifest> all = InstallManifests.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(12);
    for (InstallManifests.Manifest manifest : all) {
      assertThat(manifest.node().path("apiVersion").asText())
          .as(manifest.file().toString())
          .isNotEmpty();
      assertThat(manifest.kind()).as(manifest.file().toString()).isNotEmpty();
      assertThat(manifest.name()).as(manifest.file().toString()).isNotEmpty();
    }
  }

  @Test
  void everyNamespacedObjectIsInAigwSystem() throws Exception {
    Set<String> clusterScoped =
        Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");
    for (InstallManifests.Manifest manifest : InstallManifests.all()) {
      String namespace = manifest.node().path("metadata").path("namespace").asText("");
      assertThat(namespace)
          .as(manifest.kind() + " " + manifest.name())
          .isEqualTo(clusterScoped.contains(manifest.kind()) ? "" : "aigw-system");
    }
    assertThat(InstallManifests.find("Namespace", "aigw-system")).isPresent();
  }

  @Test
  void theThreeKindsAreNamespacedWithUpstreamNamesVersionsAndStatus() {
    Map<String, String> plurals =
        Map.of(
            "AIGatewayRoute", "aigatewayroutes",
            "AIServiceBackend", "aiservicebackends",
            "BackendSecurityPolicy", "backendsecuritypolicies");
    for (Map.Entry<String, String> kind : plurals.entrySet()) {
      JsonNode crd = crds.crd(kind.getKey());
      JsonNode spec = crd.path("spec");
      assertThat(crd.path("metadata").path("name").asText())
          .isEqualTo(kind.getValue() + ".aigateway.envoyproxy.io");
      assertThat(spec.path("group").asText()).isEqualTo("aigateway.envoyproxy.io");
      assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
      assertThat(spec.at("/names/kind").asText()).isEqualTo(kind.getKey());
      assertThat(spec.at("/names/listKind").asText()).isEqualTo(kind.getKey() + "List");
      assertThat(spec.at("/names/plural").asText()).isEqualTo(kind.getValue());
      assertThat(spec.at("/names/singular").asText()).isEqualTo(kind.getKey().toLowerCase());
      assertThat(spec.has("conversion")).isFalse();
      JsonNode alpha = spec.at("/versions/0");
      JsonNode beta = spec.at("/versions/1");
      assertThat(spec.path("versions")).hasSize(2);
      assertThat(alpha.path("name").asText()).isEqualTo("v1alpha1");
      assertThat(alpha.path("served").asBoolean()).isTrue();
      assertThat(alpha.path("storage").asBoolean()).isFalse();
      assertThat(alpha.path("deprecated").asBoolean()).isTrue();
      assertThat(alpha.path("deprecationWarning").asText()).isEqualTo(WARNING);
      assertThat(beta.path("name").asText()).isEqualTo("v1beta1");
      assertThat(beta.path("served").asBoolean()).isTrue();
      assertThat(beta.path("storage").asBoolean()).isTrue();
      assertThat(beta.has("deprecated")).isFalse();
      for (JsonNode version : List.of(alpha, beta)) {
        assertThat(version.at("/subresources/status").isObject()).isTrue();
        assertThat(version.path("additionalPrinterColumns")).hasSize(1);
        assertThat(version.at("/additionalPrinterColumns/0/name").asText()).isEqualTo("Status");
        assertThat(version.at("/additionalPrinterColumns/0/jsonPath").asText())
            .isEqualTo(".status.conditions[-1:].type");
      }
    }
  }

  @Test
  void theQuotaPolicyIsServedAndStoredAsV1alpha1OnlyWithUpstreamNamesAndStatus() {
    JsonNode crd = crds.crd("QuotaPolicy");
    JsonNode spec = crd.path("spec");
    assertThat(crd.path("metadata").path("name").asText())
        .isEqualTo("quotapolicies.aigateway.envoyproxy.io");
    assertThat(spec.path("group").asText()).isEqualTo("aigateway.envoyproxy.io");
    assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(spec.at("/names/kind").asText()).isEqualTo("QuotaPolicy");
    assertThat(spec.at("/names/listKind").asText()).isEqualTo("QuotaPolicyList");
    assertThat(spec.at("/names/plural").asText()).isEqualTo("quotapolicies");
    assertThat(spec.at("/names/singular").asText()).isEqualTo("quotapolicy");
    assertThat(spec.has("conversion")).isFalse();
    assertThat(spec.path("versions")).hasSize(1);
    JsonNode alpha = spec.at("/versions/0");
    assertThat(alpha.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(alpha.path("served").asBoolean()).isTrue();
    assertThat(alpha.path("storage").asBoolean()).isTrue();
    assertThat(alpha.has("deprecated")).isFalse();
    assertThat(alpha.at("/subresources/status").isObject()).isTrue();
    assertThat(alpha.path("additionalPrinterColumns")).hasSize(1);
    assertThat(alpha.at("/additionalPrinterColumns/0/jsonPath").asText())
        .isEqualTo(".status.conditions[-1:].type");
  }

  @Test
  void onlyTheBackendSecurityPolicyAndTheQuotaPolicyAreDirectPolicyAttachments() {
    for (String kind : List.of("BackendSecurityPolicy", "QuotaPolicy")) {
      assertThat(
              crds.crd(kind)
                  .at("/metadata/labels")
                  .path("gateway.networking.k8s.io/policy")
                  .asText())
          .as(kind)
          .isEqualTo("direct");
    }
    assertThat(
            crds.crd("AIGatewayRoute")
                .at("/metadata/labels")
                .has("gateway.networking.k8s.io/policy"))
        .isFalse();
  }

  @Test
  void everySchemaIsStructuralAndEveryCelRuleCompiles() {
    int rules = 0;
    for (String kind : AiGatewayCrds.CRD_OF_KIND.keySet()) {
      for (JsonNode version : crds.crd(kind).path("spec").path("versions")) {
        rules += checkStructural(version.at("/schema/openAPIV3Schema"), kind + ":");
      }
    }
    assertThat(rules).isGreaterThanOrEqualTo(40);
  }

  /** Types everywhere, list-map keys required or defaulted, CEL that compiles; counts the rules. */
  private int checkStructural(JsonNode schema, String path) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return 0;
    }
    assertThat(schema.path("type").asText())
        .as(path)
        .isIn("object", "array", "string", "integer", "boolean");
    int rules = 0;
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      assertThat(rule.path("message").asText()).as(path).isNotBlank();
      assertThatCode(() -> crds.cel().compile(rule.path("rule").asText()))
          .as(path)
          .doesNotThrowAnyException();
      rules++;
    }
    if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
      for (JsonNode key : schema.path("x-kubernetes-list-map-keys")) {
        JsonNode items = schema.path("items");
        boolean required = false;
        for (JsonNode name : items.path("required")) {
          required |= name.asText().equals(key.asText());
        }
        assertThat(required || items.at("/properties/" + key.asText()).has("default"))
            .as(path + " map key " + key)
            .isTrue();
      }
    }
    for (var it = schema.path("properties").fields(); it.hasNext(); ) {
      var property = it.next();
      rules += checkStructural(property.getValue(), path + "." + property.getKey());
    }
    if (schema.has("items")) {
      rules += checkStructural(schema.get("items"), path + "[]");
    }
    return rules;
  }

  @Test
  void theTwoVersionsOfRoutesAndBackendsAreIdentical() {
    for (String kind : List.of("AIGatewayRoute", "AIServiceBackend")) {
      JsonNode crd = crds.crd(kind);
      assertThat(InstallManifests.schema(crd, "v1alpha1"))
          .as(kind)
          .isEqualTo(InstallManifests.schema(crd, "v1beta1"));
    }
  }

  @Test
  void thePolicyVersionsDifferOnlyInCredentialOverrideMaxPropertiesAndTheGcpRule() {
    JsonNode crd = crds.crd("BackendSecurityPolicy");
    ObjectNode alpha = (ObjectNode) InstallManifests.schema(crd, "v1alpha1").deepCopy();
    ObjectNode beta = (ObjectNode) InstallManifests.schema(crd, "v1beta1").deepCopy();
    ObjectNode alphaSpec = (ObjectNode) alpha.at("/properties/spec");
    ObjectNode betaSpec = (ObjectNode) beta.at("/properties/spec");
    assertThat(alphaSpec.path("maxProperties").asInt()).isEqualTo(3);
    assertThat(betaSpec.path("maxProperties").asInt()).isEqualTo(4);
    assertThat(alphaSpec.at("/properties/credentialOverride").isMissingNode()).isTrue();
    assertThat(betaSpec.at("/properties/credentialOverride/minProperties").asInt()).isEqualTo(1);
    assertThat(betaSpec.at("/properties/credentialOverride/maxProperties").asInt()).isEqualTo(1);
    assertThat(
            alphaSpec.at("/properties/gcpCredentials/x-kubernetes-validations/0/message").asText())
        .isEqualTo(
            "Exactly one of GCPWorkloadIdentityFederationConfig or GCPCredentialsFile must be"
                + " specified");
    assertThat(
            betaSpec.at("/properties/gcpCredentials/x-kubernetes-validations/0/message").asText())
        .isEqualTo(
            "At most one of credentialsFile or workloadIdentityFederationConfig may be specified");
    for (ObjectNode spec : List.of(alphaSpec, betaSpec)) {
      spec.remove("maxProperties");
      ((ObjectNode) spec.get("properties")).remove("credentialOverride");
      ((ObjectNode) spec.at("/properties/gcpCredentials")).remove("x-kubernetes-validations");
    }
    assertThat(alpha).isEqualTo(beta);
  }
}
