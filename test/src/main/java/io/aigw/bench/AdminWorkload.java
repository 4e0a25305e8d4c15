package io.aigw.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.util.SplittableRandom;

/**
 * The admin benchmark's log: {@code routes} AIGatewayRoutes over ten namespaces, each with its own
 * AIServiceBackend, BackendSecurityPolicy and Secret (recorded as digests), then updates: mostly
 * route and backend edits, Secret rotations, policy edits, route deletes and re-creates, and source
 * errors. Deterministic for a seed.
 */
final class AdminWorkload {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String AI = "aigateway.envoyproxy.io/v1beta1";
  private static final String[] SCHEMAS = {"OpenAI", "AWSBedrock", "AzureOpenAI"};
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "llama3-2-1b", "claude-3-5"};

  private final int routes;
  private final SplittableRandom random;
  private long emitted;

  AdminWorkload(int routes, long seed) {
    this.routes = routes;
    this.random = new SplittableRandom(seed);
  }

  LogEvent next() {
    long index = emitted++;
    if (index < 4L * routes) {
      int i = (int) (index / 4);
      return switch ((int) (index % 4)) {
        case 0 -> upsert(secret(i, 0));
        case 1 -> upsert(backend(i, 0));
        case 2 -> upsert(policy(i, 0));
        default -> upsert(route(i, 0));
      };
    }
    int i = random.nextInt(routes);
    int roll = random.nextInt(100);
    int version = 1 + random.nextInt(1_000_000);
    if (roll < 55) {
      return upsert(route(i, version));
    } else if (roll < 75) {
      return upsert(backend(i, version));
    } else if (roll < 87) {
      return upsert(secret(i, version));
    } else if (roll < 92) {
      return upsert(policy(i, version));
    } else if (roll < 97) {
      return event(route(i, version), random.nextBoolean() ? EventType.DELETE : EventType.UPSERT);
    }
    return new SourceError("dir:/bench", "routes-" + i + ".yaml", 1 + version % 80, "bad indent");
  }

  private static String namespace(int i) {
    return "team-" + (i % 10);
  }

  private static String name(String prefix, int i) {
    return String.format("%s-%05d", prefix, i);
  }

  private ObjectNode route(int i, int version) {
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

  private static void rule(ArrayNode rules, String model, String backend, int weight) {
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

  private ObjectNode backend(int i, int version) {
    ObjectNode spec = JSON.objectNode();
    spec.putObject("schema").put("name", SCHEMAS[(i + version) % SCHEMAS.length]);
    spec.putObject("backendRef")
        .put("name", name("provider", i))
        .put("kind", "Backend")
        .put("group", "gateway.envoyproxy.io");
    return object(AI, "AIServiceBackend", namespace(i), name("backend", i), spec);
  }

  private ObjectNode policy(int i, int version) {
    ObjectNode spec = JSON.objectNode().put("type", "APIKey");
    spec.putArray("targetRefs")
        .addObject()
        .put("group", "aigateway.envoyproxy.io")
        .put("kind", "AIServiceBackend")
        .put("name", name("backend", i));
    spec.putObject("apiKey").putObject("secretRef").put("name", name("key", i));
    return object(AI, "BackendSecurityPolicy", namespace(i), name("policy", i), spec);
  }

  private ObjectNode secret(int i, int version) {
    ObjectNode secret = object("v1", "Secret", namespace(i), name("key", i), null);
    String digest = String.format("%064x", (long) i * 1_000_003L + version);
    secret.put("type", "Opaque").putObject("data").put("apiKey", "sha256:" + digest);
    return secret;
  }

  private static ObjectNode object(
      String apiVersion, String kind, String namespace, String name, ObjectNode spec) {
    ObjectNode object = JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    object.putObject("metadata").put("name", name).put("namespace", namespace);
    if (spec != null) {
      object.set("spec", spec);
    }
    return object;
  }

  private static WatchEvent upsert(ObjectNode object) {
    return event(object, EventType.UPSERT);
  }

  private static WatchEvent event(ObjectNode object, EventType type) {
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
