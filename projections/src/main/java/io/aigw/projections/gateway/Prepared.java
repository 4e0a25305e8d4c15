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
 * checks that it is JSON), then for an object of the four AI Gateway kinds its normalised,
 * validated read, for a Secret its key names, for a Gateway the GatewayConfig its annotation names,
 * for an Envoy Gateway Backend its host. A pure function of the event, so it is the same whether
 * computed inline or ahead of the fold on another thread ({@link GatewayProjection#prepare}).
 *
 * @param read the read of an AI Gateway object; null for other kinds
 * @param secretKeys the key names of a Secret (never values); null for other kinds
 * @param gatewayConfigName the GatewayConfig a Gateway names ("" for none); null for other kinds
 * @param envoyBackendHost the hostname of an Envoy Gateway Backend's first FQDN endpoint ("" for
 *     none); null for other kinds
 */
record Prepared(
    CatalogUpdate.Read read,
    Set<String> secretKeys,
    String gatewayConfigName,
    String envoyBackendHost) {

  private static final Prepared OTHER = new Prepared(null, null, null, null);

  /**
   * @throws IllegalArgumentException when the object is not JSON
   */
  static Prepared of(WatchEvent event) {
    String group = ObjectKey.groupOf(event.apiVersion());
    if (AiResource.GROUP.equals(group) && isAiKind(event.kind())) {
      return new Prepared(
          CatalogUpdate.read(CanonicalJson.read(event.objectJson()), event), null, null, null);
    }
    if (group.isEmpty() && "Secret".equals(event.kind())) {
      JsonNode secret = CanonicalJson.read(event.objectJson());
      Set<String> keys = new LinkedHashSet<>();
      secret.path("data").fieldNames().forEachRemaining(keys::add);
      secret.path("stringData").fieldNames().forEachRemaining(keys::add);
      return new Prepared(null, Set.copyOf(keys), null, null);
    }
    if (GatewayBindings.isGateway(group, event.kind())) {
      JsonNode gateway = CanonicalJson.read(event.objectJson());
      JsonNode name = gateway.path("metadata").path("annotations").path(GatewayConfig.ANNOTATION);
      return new Prepared(null, null, name.isTextual() ? name.textValue() : "", null);
    }
    if (EnvoyBackendHosts.isEnvoyBackend(group, event.kind())) {
      return new Prepared(null, null, null, firstHostname(CanonicalJson.read(event.objectJson())));
    }
    // the fold reads nothing of other kinds: only whether the object is JSON
    CanonicalJson.check(event.objectJson());
    return OTHER;
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
          AiResourceReader.KIND_GATEWAY_CONFIG ->
          true;
      default -> false;
    };
  }
}
