package io.aigw.deploy.install;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.model.validation.AiResourceValidator;
import io.aigw.core.model.validation.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The five AI Gateway CRDs of the install base, as an admission check for objects. */
final class AiGatewayCrds {

  static final String GROUP = "aigateway.envoyproxy.io";
  static final Map<String, String> CRD_OF_KIND =
      Map.of(
          "AIGatewayRoute", "aigatewayroutes." + GROUP,
          "AIServiceBackend", "aiservicebackends." + GROUP,
          "BackendSecurityPolicy", "backendsecuritypolicies." + GROUP,
          "GatewayConfig", "gatewayconfigs." + GROUP,
          "QuotaPolicy", "quotapolicies." + GROUP);

  private final Map<String, JsonNode> crds;
  private final CelRules cel = new CelRules();

  private AiGatewayCrds(Map<String, JsonNode> crds) {
    this.crds = crds;
  }

  static AiGatewayCrds load() throws IOException, YamlDocuments.YamlSyntaxException {
    Map<String, JsonNode> crds = new java.util.HashMap<>();
    for (InstallManifests.Manifest manifest : InstallManifests.ofKind("CustomResourceDefinition")) {
      crds.put(manifest.name(), manifest.node());
    }
    return new AiGatewayCrds(Map.copyOf(crds));
  }

  JsonNode crd(String kind) {
    JsonNode crd = crds.get(CRD_OF_KIND.get(kind));
    if (crd == null) {
      throw new AssertionError("no CRD for " + kind);
    }
    return crd;
  }

  /** The schema the API server would use for {@code object} (by kind and apiVersion). */
  JsonNode schemaFor(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return InstallManifests.schema(crd(object.path("kind").asText()), version);
  }

  /** What the API server with these CRDs would answer to {@code object}, object meta aside. */
  List<String> admit(JsonNode object) {
    return CrdSchema.violations(schemaFor(object), object, cel);
  }

  CelRules cel() {
    return cel;
  }

  /** aigw's own validator on the same object, object meta aside. */
  static List<String> validator(JsonNode object) {
    return AiResourceValidator.validate(object).stream()
        .map(Violation::toString)
        .filter(message -> !isMetadata(message))
        .toList();
  }

  static boolean isMetadata(String message) {
    return message.startsWith("metadata") || message.startsWith("unknown field \"metadata");
  }
}
