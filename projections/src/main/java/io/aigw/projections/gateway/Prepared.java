package io.aigw.projections.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.GatewayConfig;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the fold derives from one UPSERT's object alone, with no state: the object parsed (which
 * checks that it is JSON), then what the fold reads of its kind. A pure function of the event, so
 * it is the same whether computed inline or ahead of the fold on another thread ({@link
 * GatewayProjection#prepare}).
 */
sealed interface Prepared {

  /** An object of the AI Gateway kinds aigw reads: its normalised, validated read. */
  record AiObject(CatalogUpdate.Read read) implements Prepared {}

  /** A Secret: its key names, never its values. */
  record SecretKeyNames(Set<String> keys) implements Prepared {
    public SecretKeyNames {
      keys = Set.copyOf(keys);
    }
  }

  /** A Gateway: the GatewayConfig its annotation names ("" for none). */
  record GatewayAnnotation(String gatewayConfigName) implements Prepared {}

  /** An Envoy Gateway Backend: the hostname of its first FQDN endpoint ("" for none). */
  record EnvoyBackendHost(String hostname) implements Prepared {}

  /** Any other kind: the fold reads nothing of it. */
  record Other() implements Prepared {}

  /**
   * @throws IllegalArgumentException when the object is not JSON
   */
  static Prepared of(WatchEvent event) {
    String group = ObjectKey.groupOf(event.apiVersion());
    if (AiResource.GROUP.equals(group) && isAiKind(event.kind())) {
      return new AiObject(CatalogUpdate.read(CanonicalJson.read(event.objectJson()), event));
    }
    if (group.isEmpty() && "Secret".equals(event.kind())) {
      JsonNode secret = CanonicalJson.read(event.objectJson());
      Set<String> keys = new LinkedHashSet<>();
      secret.path("data").fieldNames().forEachRemaining(keys::add);
      secret.path("stringData").fieldNames().forEachRemaining(keys::add);
      return new SecretKeyNames(keys);
    }
    if (GatewayBindings.isGateway(group, event.kind())) {
      JsonNode gateway = CanonicalJson.read(event.objectJson());
      JsonNode name = gateway.path("metadata").path("annotations").path(GatewayConfig.ANNOTATION);
      return new GatewayAnnotation(name.isTextual() ? name.textValue() : "");
    }
    if (EnvoyBackendHosts.isEnvoyBackend(group, event.kind())) {
      return new EnvoyBackendHost(firstHostname(CanonicalJson.read(event.objectJson())));
    }
    // only whether the object is JSON
    CanonicalJson.check(event.objectJson());
    return new Other();
  }

  private static String firstHostname(JsonNode backend) {
    for (JsonNode endpoint : backend.path("spec").path("endpoints")) {
      String hostname = endpoint.path("fqdn").path("hostname").asText("");
      if (!hostname.isEmpty()) {
        return hostname;
      }
    }
    return "";
  }

  private static boolean isAiKind(String kind) {
    return switch (kind) {
      case AiResourceReader.KIND_ROUTE,
          AiResourceReader.KIND_BACKEND,
          AiResourceReader.KIND_POLICY,
          AiResourceReader.KIND_GATEWAY_CONFIG,
          AiResourceReader.KIND_QUOTA_POLICY ->
          true;
      default -> false;
    };
  }
}
