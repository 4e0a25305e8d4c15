package io.aigw.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.WatchEvent;

/**
 * The objects the benchmark workloads write, numbered: route {@code i} in namespace {@code team-(i
 * % 10)} with its own backend, policy and Secret (a second rule on its neighbour's backend), a
 * Gateway and unrelated ConfigMaps; {@code version} varies a spec so that an update is a change.
 * Shared by {@link ReplayWorkload} and {@link AdminWorkload}, which differ only in their mix of
 * updates.
 */
final class BenchObjects {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String AI = "aigateway.envoyproxy.io/v1beta1";
  private static final String[] SCHEMAS = {"OpenAI", "AWSBedrock", "AzureOpenAI"};
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "llama3-2-1b", "claude-3-5"};

  private BenchObjects() {}

  static String namespace(int i) {
    return "team-" + (i % 10);
  }

  static String name(String prefix, int i) {
    return String.format("%s-%05d", prefix, i);
  }

  static ObjectNode route(int i, int version, int routes) {
    ObjectNode spec = JSON.objectNode();
    spec.putArray("parentRefs")
        .addObject()
        .put("group", "gateway.networking.k8s.io")
        .put("kind", "Gateway")
        .put("name", "bench")
        .put("namespace", "default");
    ArrayNode rules = spec.putArray("rules");
    rule(rules, MODELS[version % MODELS.length], name("backend", i), 1 + version % 3);
    rule(rules, "fallback-" + (version % 7), name("backend", (i + 10) % routes), 1);
    spec.putArray("llmRequestCosts")
        .addObject()
        .put("metadataKey", "llm_total_token")
        .put("type", "TotalToken");
    return object(AI, "AIGatewayRoute", namespace(i), name("route", i), spec);
  }

  static void rule(ArrayNode rules, String model, String backend, int weight) {
    ObjectNode rule = rules.addObject();
    rule.putArray("matches")
        .addObject()
        .putArray("headers")
        .addObject()
        .put("type", "Exact")
        .put("name", "x-ai-eg-model")
        .put("value", model);
    rule.putArray("backendRefs").addObject().put("name", backend).put("weight", weight);
  }

  static ObjectNode backend(int i, int version) {
    ObjectNode spec = JSON.objectNode();
    spec.putObject("schema").put("name", SCHEMAS[(i + version) % SCHEMAS.length]);
    spec.putObject("backendRef")
        .put("name", name("provider", i))
        .put("kind", "Backend")
        .put("group", "gateway.envoyproxy.io");
    return object(AI, "AIServiceBackend", namespace(i), name("backend", i), spec);
  }

  static ObjectNode policy(int i) {
    ObjectNode spec = JSON.objectNode().put("type", "APIKey");
    spec.putArray("targetRefs")
        .addObject()
        .put("group", "aigateway.envoyproxy.io")
        .put("kind", "AIServiceBackend")
        .put("name", name("backend", i));
    spec.putObject("apiKey").putObject("secretRef").put("name", name("key", i));
    return object(AI, "BackendSecurityPolicy", namespace(i), name("policy", i), spec);
  }

  static ObjectNode secret(int i, int version) {
    ObjectNode secret = object("v1", "Secret", namespace(i), name("key", i), null);
    String digest = String.format("%064x", (long) i * 1_000_003L + version);
    secret.put("type", "Opaque").putObject("data").put("apiKey", "sha256:" + digest);
    return secret;
  }

  static ObjectNode gateway() {
    ObjectNode spec = JSON.objectNode().put("gatewayClassName", "envoy-ai-gateway");
    spec.putArray("listeners")
        .addObject()
        .put("name", "http")
        .put("protocol", "HTTP")
        .put("port", 8888);
    return object("gateway.networking.k8s.io/v1", "Gateway", "default", "bench", spec);
  }

  static ObjectNode configMap(int i, int version) {
    ObjectNode map = object("v1", "ConfigMap", namespace(i), name("settings", i % 100), null);
    map.putObject("data").put("version", Integer.toString(version));
    return map;
  }

  static ObjectNode object(
      String apiVersion, String kind, String namespace, String name, ObjectNode spec) {
    ObjectNode object = JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    object.putObject("metadata").put("name", name).put("namespace", namespace);
    if (spec != null) {
      object.set("spec", spec);
    }
    return object;
  }

  static WatchEvent upsert(ObjectNode object) {
    return event(object, EventType.UPSERT);
  }

  static WatchEvent event(ObjectNode object, EventType type) {
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    String json = CanonicalJson.write(object);
    return new WatchEvent(
        "dir:/bench",
        object.get("apiVersion").asText(),
        object.get("kind").asText(),
        metadata.get("namespace").asText(),
        metadata.get("name").asText(),
        "uid-" + metadata.get("name").asText(),
        Integer.toString(json.hashCode()),
        1,
        type,
        json);
  }
}
